"""Each person's done masks, kept up to date as completions arrive, so the rebuild reads one row a person.

Which requirements a person has done used to be worked out on every rebuild from every completion of every
current version (about 94,000 rows at 5,000 staff). Instead each required page has a slot
(`BriefingDoneSlot`: bit `slot % 62` of group `slot // 62`) and the version it counts, and triggers on
`BriefingCompletion` set a person's bit in `BriefingDoneMask` when a completion of that version is added
(and clear it when one is removed): no query from Python, and nothing that writes completions can forget it.

The rebuild (`bits_for_requirements`) gives each requirement its page's slot. When a page has no slot yet,
or its current version changed (a material change asking everyone again, not a minor correction: that
keeps the number), the slot is renewed: its bit cleared for everyone and set again from the completions of
the new version, in one transaction holding off completion writes (PostgreSQL: a table lock that does not
stop readers), so no completion is missed between the two. Slots of pages no longer required are given to
new ones the same way.
"""

from django.db import connection, transaction

from . import completion_triggers
from .models import BriefingCompletion, BriefingDoneMask, BriefingDoneSlot

BITS = 62  # slots a group: the masks are signed 64-bit integers on both databases
FUNCTION = "briefing_done_mask"


def _tables(apps):
    return {
        "completions": apps.get_model("training", "BriefingCompletion")._meta.db_table,
        "slots": apps.get_model("training", "BriefingDoneSlot")._meta.db_table,
        "masks": apps.get_model("training", "BriefingDoneMask")._meta.db_table,
    }


POSTGRESQL = """
CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed {completions};
    slot_no integer;
BEGIN
    IF TG_OP = 'INSERT' THEN changed := NEW; ELSE changed := OLD; END IF;
    SELECT s.slot INTO slot_no FROM {slots} s
        WHERE s.page_id = changed.page_id AND s.version_number = changed.version_number;
    IF slot_no IS NULL THEN RETURN NULL; END IF;
    IF TG_OP = 'INSERT' THEN
        INSERT INTO {masks} (user_id, bit_group, done)
            VALUES (changed.user_id, slot_no / {bits}, CAST(1 AS bigint) << (slot_no % {bits}))
            ON CONFLICT (user_id, bit_group) DO UPDATE SET done = {masks}.done | EXCLUDED.done;
    ELSE
        UPDATE {masks} SET done = done & ~(CAST(1 AS bigint) << (slot_no % {bits}))
            WHERE user_id = changed.user_id AND bit_group = slot_no / {bits};
    END IF;
    RETURN NULL;
END
$$;
DROP TRIGGER IF EXISTS {function} ON {completions};
CREATE TRIGGER {function} AFTER INSERT OR DELETE ON {completions}
    FOR EACH ROW EXECUTE FUNCTION {function}();
"""

SQLITE_INSERT = """
CREATE TRIGGER IF NOT EXISTS {function}_insert AFTER INSERT ON {completions} FOR EACH ROW BEGIN
    INSERT INTO {masks} (user_id, bit_group, done)
        SELECT NEW.user_id, s.slot / {bits}, 1 << (s.slot % {bits}) FROM {slots} s
        WHERE s.page_id = NEW.page_id AND s.version_number = NEW.version_number
        ON CONFLICT (user_id, bit_group) DO UPDATE SET done = done | excluded.done;
END;
"""
SQLITE_DELETE = """
CREATE TRIGGER IF NOT EXISTS {function}_delete AFTER DELETE ON {completions} FOR EACH ROW BEGIN
    UPDATE {masks} SET done = done & ~(
            SELECT 1 << (s.slot % {bits}) FROM {slots} s
            WHERE s.page_id = OLD.page_id AND s.version_number = OLD.version_number)
        WHERE user_id = OLD.user_id AND bit_group = (
            SELECT s.slot / {bits} FROM {slots} s
            WHERE s.page_id = OLD.page_id AND s.version_number = OLD.version_number);
END;
"""


def install(apps, schema_editor):
    """The triggers (a migration's RunPython): each database in its own dialect."""
    names = {"function": FUNCTION, "bits": BITS, **_tables(apps)}
    sqlite = [SQLITE_INSERT.format(**names), SQLITE_DELETE.format(**names)]
    completion_triggers.create(schema_editor, POSTGRESQL.format(**names), sqlite)


def uninstall(apps, schema_editor):
    completions = _tables(apps)["completions"]
    completion_triggers.drop(schema_editor, FUNCTION, completions, [f"{FUNCTION}_insert", f"{FUNCTION}_delete"])


def slots_for(requirements) -> list[int]:
    """Each requirement's slot, its page's (renewed first where the page or its version is new)."""
    wanted = {r.page_id: r.version_number for r in requirements}
    slots = _slots()
    if any(slots.get(page) is None or slots[page][1] != version for page, version in wanted.items()):
        with transaction.atomic():
            _hold_off_completions()
            slots = _renew(_slots(), wanted)  # read again under the lock: another rebuild may have renewed them
    return [slots[r.page_id][0] for r in requirements]


def _slots() -> dict[int, tuple[int, int]]:
    """page id: (slot, version number)."""
    return {
        page: (slot, version)
        for slot, page, version in BriefingDoneSlot.objects.values_list("slot", "page_id", "version_number")
    }


def _hold_off_completions() -> None:
    """Until this transaction ends, no completion is written (nor another slot renewed); readers go on.
    SQLite has one writer at a time already."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {BriefingCompletion._meta.db_table} IN SHARE ROW EXCLUSIVE MODE")


def _renew(slots, wanted) -> dict[int, tuple[int, int]]:
    """New slots for the pages that have none (the free ones first: those of pages no longer required), the
    new version for those whose version changed, and their bits filled, in a fixed number of statements."""
    renewed = {page: version for page, version in wanted.items() if slots.get(page, (None, version))[1] != version}
    renewed |= {page: version for page, version in wanted.items() if page not in slots}
    if not renewed:
        return slots
    in_use = {slots[page][0] for page in wanted if page in slots}
    free = sorted(slot for page, (slot, _version) in slots.items() if page not in wanted)
    next_slot = max((slot for slot, _version in slots.values()), default=-1) + 1
    for page in sorted(renewed):
        if page in slots:
            slot = slots[page][0]
        elif free:
            slot = free.pop(0)
        else:
            slot, next_slot = next_slot, next_slot + 1
        in_use.add(slot)
        slots[page] = (slot, renewed[page])
    slots = {page: entry for page, entry in slots.items() if page in wanted or entry[0] not in in_use}
    taken = [slots[page][0] for page in renewed]
    BriefingDoneSlot.objects.filter(slot__in=taken).delete()
    BriefingDoneSlot.objects.bulk_create(
        [
            BriefingDoneSlot(slot=slots[page][0], page_id=page, version_number=version)
            for page, version in renewed.items()
        ]
    )
    _fill([(page, version, slots[page][0]) for page, version in renewed.items()])
    return slots


def _fill(renewed: list[tuple[int, int, int]]) -> None:
    """The bits of the renewed slots (page, version, slot) for everyone: cleared, then set for each person
    with a completion of the slot's version."""
    masks, completions = BriefingDoneMask._meta.db_table, BriefingCompletion._meta.db_table
    cleared: dict[int, int] = {}
    for _page, _version, slot in renewed:
        cleared[slot // BITS] = cleared.get(slot // BITS, 0) | 1 << (slot % BITS)
    rows = [(page, version, slot // BITS, 1 << (slot % BITS)) for page, version, slot in renewed]
    slots_sql = ", ".join(["(%s, %s, %s, %s)"] * len(rows))
    with connection.cursor() as cursor:
        for group, bits in cleared.items():
            cursor.execute(
                f"UPDATE {masks} SET done = done & %s WHERE bit_group = %s AND (done & %s) <> 0",  # noqa: S608
                [~bits, group, bits],
            )
        # One completion a person and version: the sum of a person's bits in a group is their union.
        cursor.execute(
            " ".join(
                [
                    f"WITH r(page_id, version_number, bit_group, bit) AS (VALUES {slots_sql})",
                    f"INSERT INTO {masks} (user_id, bit_group, done) SELECT c.user_id, r.bit_group, SUM(r.bit)",
                    f"FROM {completions} c JOIN r ON c.page_id = r.page_id AND c.version_number = r.version_number",
                    "WHERE true GROUP BY c.user_id, r.bit_group",  # noqa: S608 - model names
                    f"ON CONFLICT (user_id, bit_group) DO UPDATE SET done = {masks}.done | EXCLUDED.done",
                ]
            ),
            [value for row in rows for value in row],
        )
