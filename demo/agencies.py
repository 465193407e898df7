"""Demo agencies of the fictional Riverbend Safeguarding Children Partnership."""

from cases.models import Agency, Partnership

AGENCIES = [
    ("Riverbend Children's Social Care", "CSC", Agency.Sector.SOCIAL_CARE),
    ("Riverbend Police Public Protection Unit", "Police", Agency.Sector.POLICE),
    ("Riverbend CAMHS", "CAMHS", Agency.Sector.HEALTH),
    ("Riverbend GP Practices", "GP", Agency.Sector.HEALTH),
    ("0-19 Health Visiting and School Nursing", "0-19", Agency.Sector.HEALTH),
    ("Riverbend Schools and Colleges", "Schools", Agency.Sector.EDUCATION),
    ("Riverbend Early Help", "Early Help", Agency.Sector.EARLY_HELP),
    ("Probation Service (Riverbend)", "Probation", Agency.Sector.PROBATION),
    ("Adult Mental Health Services", "AMHS", Agency.Sector.HEALTH),
    ("Riverbend Homes (Housing)", "Housing", Agency.Sector.HOUSING),
]


def load() -> dict[str, Agency]:
    Partnership.load()
    agencies = {}
    for name, short, sector in AGENCIES:
        agency, _ = Agency.objects.get_or_create(
            name=name,
            defaults={
                "short_name": short,
                "sector": sector,
                "safeguarding_lead_email": f"safeguarding.{short.lower().replace(' ', '')}"
                "@riverbend.example",
            },
        )
        agencies[short] = agency
    return agencies
