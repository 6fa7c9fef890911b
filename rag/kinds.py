"""The nouns that name a kind of answer after which/what ("which company", "what year"),
mapped to the spaCy labels of what answers them; kept apart from the question reader
(rag/questions.py) because the lists grow with every wording staff use."""

from __future__ import annotations

PERSON = ("PERSON",)
TIME = ("DATE", "TIME")
PLACE = ("GPE", "LOC", "FAC")
# A which/what question's noun, mapped to the labels of what it names.
VENUES = ("ORG", "PRODUCT", "WORK_OF_ART", "FAC")  # where something is posted or aired
KIND_LABELS = {
    **dict.fromkeys(
        "person man woman actor actress singer player president author writer director "
        "journalist reporter official member executive ceo founder leader minister senator "
        "scientist artist composer king queen politician people wife husband son daughter "
        "father mother chief secretary head singer musician actor producer painter poet "
        "novelist composer rapper guitarist drummer vocalist coach manager governor mayor "
        "judge lawyer general commander founder inventor architect designer editor "
        "character footballer cricketer inspector officer spokesperson spokesman spokeswoman "
        "employee staffer analyst expert researcher engineer doctor candidate ambassador "
        "diplomat adviser advisor agent detective lawmaker legislator congressman "
        "congresswoman".split(),
        PERSON,
    ),
    **dict.fromkeys(
        "company companies organisation organization firm agency band team party "
        "university college lab laboratory publication newspaper outlet network channel "
        "label group department institution startup school academy club league "
        "corporation manufacturer airline brand publisher magazine court courts tribunal vendor "
        "vendors supplier suppliers contractor contractors provider providers labs firms "
        "agencies organisations organizations startups".split(),
        ("ORG",),
    ),
    **dict.fromkeys(
        "country countries city cities state states town place region continent location "
        "county province island village area river lake mountain ocean sea bay valley "
        "desert".split(),
        PLACE,
    ),
    **dict.fromkeys(
        "year month day date century decade time period deadline anniversary birthday".split(),
        TIME,
    ),
    **dict.fromkeys("nationality religion ethnicity tribe tribes".split(), ("NORP",)),
    **dict.fromkeys(
        "film movie album song book novel opera painting poem show series".split(),
        ("WORK_OF_ART",),
    ),
    **dict.fromkeys("medal award prize".split(), ("WORK_OF_ART", "ORG")),
    **dict.fromkeys("law laws act statute statutes bill treaty amendment".split(), ("LAW",)),
    **dict.fromkeys(
        "salary salaries wage wages fine fines fee fees price remuneration compensation pay "
        "paycheck bonus bonuses payout sum sums".split(),
        ("MONEY",),
    ),
    "language": ("LANGUAGE", "NORP"),
    **dict.fromkeys("site website platform platforms".split(), VENUES),
}
# Kinds of thing said ("what comparison ...?"): a passage says it ("like a telephone") unnamed.
SAID_KINDS = frozenset(
    "comparison comparisons analogy argument arguments claim claims point points example "
    "examples explanation excuse justification complaint complaints criticism criticisms "
    "warning warnings message promise promises pledge response reply description "
    "view views opinion opinions position stance".split()
)
