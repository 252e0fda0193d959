"""Default rights of each role in the campaigns app (installed into the role groups at migrate)."""
from sites.roles import Role


def _crud(model: str, *verbs: str) -> set[str]:
    return {f"campaigns.{v}_{model}" for v in verbs}


_RECORDS = ("activity", "schoolduty", "enterprisevisit", "villageduty")

CAMPAIGNS_ROLE_PERMISSIONS: dict[str, set[str]] = {
    Role.STAFF: {
        *_crud("campaign", "view", "add", "change"),
        *_crud("enrolment", "view", "add", "change"),
        *{p for m in _RECORDS for p in _crud(m, "view", "add", "change")},
        "campaigns.view_surveyresponse",
        "campaigns.view_evidence_flags",
    },
    Role.CADRE: {
        "campaigns.view_campaign",
        *_crud("enrolment", "view", "add", "change"),
        *{p for m in _RECORDS for p in _crud(m, "view", "add", "change")},
        "campaigns.view_surveyresponse",
    },
    Role.LIAISON: {
        "campaigns.view_campaign",
        *_crud("enrolment", "view", "change"),
        *_crud("activity", "view", "add", "change"),
        *_crud("schoolduty", "view", "add", "change"),
        *_crud("enterprisevisit", "view", "add", "change"),
        "campaigns.view_villageduty",
        "campaigns.view_surveyresponse",
    },
    Role.INSPECTOR: {
        "campaigns.view_campaign",
        "campaigns.view_enrolment",
        *{f"campaigns.view_{m}" for m in _RECORDS},
        "campaigns.view_surveyresponse",
        "campaigns.view_evidence_flags",
    },
}


# Bulletins (issue 10): staff publish; cadres and liaisons confirm receipts of their village / site.
CAMPAIGNS_ROLE_PERMISSIONS[Role.STAFF] |= {*_crud("bulletin", "view", "add", "change"), "campaigns.view_bulletinreceipt"}
CAMPAIGNS_ROLE_PERMISSIONS[Role.CADRE] |= _crud("bulletinreceipt", "view", "change")
CAMPAIGNS_ROLE_PERMISSIONS[Role.LIAISON] |= _crud("bulletinreceipt", "view", "change")

# Official app-install figures (issue 10): staff upload and compare; inspectors read.
CAMPAIGNS_ROLE_PERMISSIONS[Role.STAFF] |= _crud("officialinstallfigure", "view", "add", "change")
CAMPAIGNS_ROLE_PERMISSIONS[Role.INSPECTOR] |= {"campaigns.view_officialinstallfigure"}
