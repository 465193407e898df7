"""Demo users, one or more per role. Passwords are set only when a user is first created,
so loading the demo twice changes nothing."""

from accounts.models import User
from cases.models import Agency, Membership

DEMO_PASSWORD = "riverbend-demo-2026"  # noqa: S105 - fictional demo data only

# username, first, last, role, [(agency short name, is lead)], job title
USERS = [
    ("business", "Bea", "Okafor", User.Role.BUSINESS, [], "Partnership business manager"),
    ("business2", "Callum", "Reid", User.Role.BUSINESS, [], "Quality assurance officer"),
    ("practitioner", "Priya", "Shah", User.Role.PRACTITIONER, [("CSC", True)], "Team manager"),
    ("csc.auditor", "Tom", "Hughes", User.Role.PRACTITIONER, [("CSC", False)], "Social worker"),
    ("police", "Dan", "Mercer", User.Role.PRACTITIONER, [("Police", True)], "Detective sergeant"),
    (
        "health",
        "Grace",
        "Adeyemi",
        User.Role.PRACTITIONER,
        [("CAMHS", True), ("0-19", False)],
        "Named nurse",
    ),
    (
        "schools",
        "Owen",
        "Price",
        User.Role.PRACTITIONER,
        [("Schools", True)],
        "Designated safeguarding lead",
    ),
    (
        "earlyhelp",
        "Nadia",
        "Khan",
        User.Role.PRACTITIONER,
        [("Early Help", True)],
        "Early help coordinator",
    ),
    ("board", "Helen", "Marsh", User.Role.BOARD, [], "Independent scrutineer"),
    ("admin", "Sam", "Ellis", User.Role.ADMIN, [], "System administrator"),
]


def load(agencies: dict[str, Agency]) -> list[User]:
    users = []
    for username, first, last, role, memberships, title in USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@riverbend.example",
                "role": role,
                "job_title": title,
                "is_staff": role == User.Role.ADMIN,
                "is_superuser": role == User.Role.ADMIN,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        for short, is_lead in memberships:
            Membership.objects.get_or_create(
                user=user, agency=agencies[short], defaults={"is_lead": is_lead}
            )
        users.append(user)
    return users
