"""A roster's family contacts (配偶, 子女, 紧急联系人), merged into the cadres' contacts
after the rows are written: by relation and name (a changed phone updates the
contact), up to four per cadre (the rest are reported as warnings). Set-based: one
query for the cadres and one for their contacts per chunk, then bulk writes, each
change in the import's bulk history."""

from django.utils.translation import gettext as _

from ...models import Cadre, FamilyContact
from .result import Issue

CHUNK = 5_000


def merge_contacts(rows: list[tuple[str, int, list]], bulk, result, header) -> None:
    """`rows`: (ID number, row number, [(relation, name, phone), …])."""
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        ids = dict(
            Cadre.objects.filter(id_number__in=[r[0] for r in chunk]).values_list(
                "id_number", "pk"
            )
        )
        held: dict[int, list[FamilyContact]] = {}
        for contact in FamilyContact.objects.filter(cadre_id__in=ids.values()).order_by(
            "cadre_id", "position"
        ):
            held.setdefault(contact.cadre_id, []).append(contact)
        creates, updates = [], []
        for id_number, number, contacts in chunk:
            cadre_id = ids.get(id_number)
            if cadre_id is None:
                continue
            mine = held.setdefault(cadre_id, [])
            for relation, name, phone in contacts:
                same = next(
                    (c for c in mine if c.relation == relation and c.name == name), None
                )
                if same is not None:
                    if same.phone != phone:
                        bulk.add(object_type="familycontact", object_id=same.pk,
                                 action="update", changes={"phone": [same.phone, phone]})  # fmt: skip
                        same.phone = phone
                        updates.append(same)
                    continue
                taken = {c.position for c in mine}
                free = next((p for p in range(1, FamilyContact.MAX_PER_CADRE + 1)
                             if p not in taken), None)  # fmt: skip
                if free is None:
                    result.warnings.append(Issue(number, header(_column(relation)), name, _(
                        "The cadre has four family contacts already: this one was not added.")))  # fmt: skip
                    continue
                contact = FamilyContact(cadre_id=cadre_id, position=free, relation=relation,
                                        name=name, phone=phone)  # fmt: skip
                mine.append(contact)
                creates.append(contact)
        for contact in FamilyContact.objects.bulk_create(creates, batch_size=2_000):
            bulk.add(object_type="familycontact", object_id=contact.pk or "", action="create",
                     changes={"cadre_id": contact.cadre_id, "relation": contact.relation,
                              "name": contact.name})  # fmt: skip
        FamilyContact.objects.bulk_update(updates, ["phone"], batch_size=2_000)


def _column(relation: str) -> str:
    return {"配偶": "spouse_name", "子女": "child_name"}.get(relation, "emergency_name")
