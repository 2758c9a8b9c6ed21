"""Staff accounts (issue 18): one's own account, and township officers managing the
workers of their scope without the Django admin."""
