"""Constant tables of the demo company: units, topics, countries, teams, names, shares."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pyarrow as pa


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


IntArr = npt.NDArray[np.int64]
FloatArr = npt.NDArray[np.float64]
BoolArr = npt.NDArray[np.bool_]

US_PER_SECOND = 1_000_000
US_PER_HOUR = 3_600 * US_PER_SECOND
US_PER_DAY = 24 * US_PER_HOUR
TIMESTAMP = pa.timestamp("us", tz="UTC")

UNITS = ("Cloud", "Security", "Data & AI", "Workplace", "Networks")
UNIT_DEAL_SIZE = np.array([1.3, 1.0, 1.2, 0.7, 0.9])
UNIT_WIN_RATE = np.array([0.36, 0.30, 0.33, 0.40, 0.28])
TOPICS = (
    ("Cloud Migration", 0),
    ("Hybrid Cloud", 0),
    ("Zero Trust", 1),
    ("Managed SOC", 1),
    ("Data Platform", 2),
    ("Generative AI", 2),
    ("Modern Workplace", 3),
    ("Employee Experience", 3),
    ("SD-WAN", 4),
    ("Private 5G", 4),
)
TOPIC_UNIT = np.array([unit for _, unit in TOPICS], dtype=np.int64)
TOPIC_NAMES = tuple(name for name, _ in TOPICS)

COUNTRIES = ("DE", "AT", "CH", "FR", "GB", "US", "CA", "SG")
COUNTRY_REGION = ("EMEA", "EMEA", "EMEA", "EMEA", "EMEA", "AMER", "AMER", "APAC")
COUNTRY_WEIGHTS = (0.30, 0.06, 0.08, 0.10, 0.12, 0.22, 0.05, 0.07)
CURRENCIES = ("EUR", "CHF", "GBP", "USD", "CAD", "SGD")
EUR_PER_UNIT = (1.0, 1.05, 1.17, 0.92, 0.68, 0.69)
COUNTRY_UTC_OFFSET_H = np.array([1, 1, 1, 1, 0, -5, -5, 8])
COUNTRY_CURRENCY = np.array([0, 0, 1, 0, 2, 3, 4, 5], dtype=np.int64)
LEGAL_FORMS = (
    ("GmbH", "AG", "SE"),
    ("GmbH", "AG"),
    ("AG", "GmbH", "SA"),
    ("SA", "SAS"),
    ("Ltd", "plc"),
    ("Inc.", "Corp.", "LLC"),
    ("Inc.", "Ltd."),
    ("Pte Ltd",),
)

# Sales teams, ordered by country; the number is the team's median response delay in hours.
TEAMS = (
    ("DE-North", 0, 16.0),
    ("DE-South", 0, 22.0),
    ("DE-West", 0, 30.0),
    ("AT", 1, 12.0),
    ("CH", 2, 14.0),
    ("FR", 3, 34.0),
    ("GB", 4, 20.0),
    ("US-East", 5, 18.0),
    ("US-West", 5, 26.0),
    ("US-Central", 5, 40.0),
    ("CA", 6, 24.0),
    ("SG", 7, 28.0),
)
TEAM_NAMES = tuple(name for name, _, _ in TEAMS)
TEAM_COUNTRY = np.array([country for _, country, _ in TEAMS], dtype=np.int64)
TEAM_DELAY_H = np.array([hours for _, _, hours in TEAMS])
REPS_PER_TEAM = 6
MARKETERS_PER_COUNTRY = 3

CHANNELS = (
    "Webinar",
    "Event",
    "Paid Search",
    "Social",
    "Email",
    "Content Syndication",
    "Partner",
    "Direct Mail",
)
CHANNEL_SHARE = (0.20, 0.12, 0.15, 0.13, 0.14, 0.10, 0.08, 0.08)
CHANNEL_LEADS = np.array([1.2, 1.0, 1.5, 1.3, 1.4, 1.8, 0.7, 0.5])
CHANNEL_ACCEPTANCE = np.array([0.76, 0.82, 0.66, 0.58, 0.70, 0.55, 0.84, 0.68])
CHANNEL_CPL_EUR = np.array([90.0, 320.0, 70.0, 55.0, 25.0, 60.0, 140.0, 180.0])
COST_CATEGORIES = ("media", "agency", "event", "content")
CATEGORY_SHARE = np.array(
    [
        [0.30, 0.30, 0.10, 0.30],
        [0.10, 0.20, 0.60, 0.10],
        [0.80, 0.15, 0.00, 0.05],
        [0.70, 0.15, 0.00, 0.15],
        [0.30, 0.30, 0.00, 0.40],
        [0.60, 0.10, 0.00, 0.30],
        [0.20, 0.30, 0.30, 0.20],
        [0.50, 0.30, 0.00, 0.20],
    ]
)
SOURCES = ("Website", "Referral", "Inbound Call", "Partner")
SOURCE_SHARE = (0.55, 0.20, 0.15, 0.10)
SOURCE_ACCEPTANCE = np.array([0.70, 0.86, 0.83, 0.78])

EVENTS = (
    "qualified",
    "handed_over",
    "accepted",
    "rejected",
    "recycled",
    "disqualified",
)
REJECT_REASONS = (
    "No budget",
    "Wrong contact",
    "Duplicate",
    "No project",
    "Competitor customer",
    "Bad timing",
)
REJECT_SHARE = (0.22, 0.20, 0.10, 0.22, 0.10, 0.16)
DISQUALIFY_REASONS = (
    "Invalid contact data",
    "Student or private person",
    "Competitor",
    "No fit",
)
REASONS = REJECT_REASONS + DISQUALIFY_REASONS

STAGES = ("Qualification", "Proposal", "Negotiation", "Closed Won", "Closed Lost")
STATUSES = ("open", "won", "lost")
OPEN_STAGE_PROBABILITY = np.array([0.15, 0.40, 0.70])
LOST_REASONS = (
    "Price",
    "Lost to competitor",
    "No decision",
    "Budget cut",
    "Project postponed",
)

INDUSTRIES = (
    "Manufacturing",
    "Financial Services",
    "Retail",
    "Healthcare",
    "Public Sector",
    "Logistics",
    "Energy",
    "Telecommunications",
    "Automotive",
    "Media",
)
SEGMENTS = ("Enterprise", "Mid-Market", "SMB")
SEGMENT_SHARE = (0.15, 0.35, 0.50)
SEGMENT_DEAL_SIZE = np.array([3.0, 1.0, 0.4])
NAME_PREFIXES = _words(
    """
    Nordwind Alpen Rhein Blau Stern Falken Berg Linden Adler Silber Eichen Sonnen Polar Atlas
    Vektor Kobalt Quarz Zenit Orion Delta Helix Nova Aurora Granit Kristall Fluss Meridian Pionier
    Horizont Titan Apex Summit Harbor Crest Maple Cedar Beacon Pinnacle Evergreen Northstar Bluebird
    Ironwood Riverside Sterling Keystone Lumen Solaris Vertex Cascade Falcon
    """
)
NAME_CORES = _words(
    """
    Logistik Maschinenbau Energie Finanz Handel Pharma Medien Bau Chemie Software Versicherung
    Logistics Foods Retail Health Motors Capital Telecom Industries Textiles Instruments Robotics
    Materials Packaging Beverages Analytics Mobility Utilities Optics Steel
    """
)
NAME_TAILS = (
    "",
    " Group",
    " Holding",
    " International",
    " Solutions",
    " Systems",
    " Partners",
)
FIRST_NAMES = _words(
    """
    Anna Lukas Marie Jonas Sophie Felix Laura Paul Julia Max Lea Leon Emma Noah Clara Elias Sarah
    Tim Nina David Hannah Jan Lisa Tom Claire Pierre James Olivia Ethan Mei
    """
)
LAST_NAMES = _words(
    """
    Schmidt Müller Weber Fischer Wagner Becker Hoffmann Schulz Koch Richter Klein Wolf Neumann
    Schwarz Braun Zimmermann Hartmann Krüger Lange Werner Martin Dubois Smith Johnson Brown Taylor
    Wilson Tan Lim Keller
    """
)

CAMPAIGN_LEAD_SHARE = 0.85
QUALIFY_SHARE = 0.93
HANDOVER_SHARE = 0.955
FORGOTTEN_SHARE = 0.004
RECYCLE_SHARE = 0.2
OPPORTUNITY_SHARE = 0.153
NON_LEAD_OPPORTUNITY_SHARE = 0.2
