"""The care pages: visits on a phone and "my visits" (`visits`), coverage, the
health record and due list (`health`), the partners' report (`partners`), the
reminders inbox and the pages reminders lead to (`reminders`)."""
