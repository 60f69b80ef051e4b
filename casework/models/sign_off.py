"""The sign-off rule, in one place: what a PEP needs before it is ready for sign-off or signed off. `PEP.move_to`
(the status view, the admin) and `PEP.save` (any other code) refuse the move with these messages, one a part."""

from decimal import Decimal

from .peps import SMART_PARTS


def _money(amount: Decimal) -> str:
    return f"£{amount:,.2f}"


def _is_smart(target) -> bool:
    return all(
        (value := getattr(target, name)) is not None and (not isinstance(value, str) or value.strip())
        for name in SMART_PARTS
    )


def sign_off_problems(pep) -> list[str]:
    """One plain message per missing part; empty when the PEP may be ready for sign-off or signed off."""
    problems = []
    targets = list(pep.targets.all()) if pep.pk else []
    if not any(_is_smart(t) for t in targets):
        problems.append(
            "Add at least one SMART target: what the child will do, how it is measured, the starting point, "
            "the level to reach, who makes it happen and by when."
        )
    if not pep.has_childs_views:
        problems.append(
            "Record the child's views: what is going well, what worries them, their hopes, or what helps them learn."
        )
    if pep.sessions_possible is None or pep.sessions_attended is None:
        problems.append("Record attendance: the sessions possible and the sessions attended this term.")
    previous = pep.previous_pep()
    if previous is not None:
        evaluated = set()
        if pep.pk:
            evaluated = set(pep.previous_target_evaluations.exclude(outcome="").values_list("target_id", flat=True))
        waiting = previous.targets.exclude(pk__in=evaluated).count()
        if waiting:
            problems.append(
                f"Evaluate the previous PEP's targets (met, partly met or not met): {waiting} still to evaluate."
            )
    if pep.pk:
        from ..pp_plus import summarise

        ppplus = summarise(pep)  # fresh: never a summary cached on the instance before a change
        if ppplus.over_allocated:
            problems.append(
                f"PP+ allocated against targets ({_money(ppplus.allocated)}) is more than the "
                f"{_money(ppplus.ceiling)} {ppplus.ceiling_basis}: lower the allocations or record the request."
            )
    return problems
