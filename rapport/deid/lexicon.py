"""Word lists the recognisers consult: given names, name-words, titles, relations, places.

The given-name lists are plain text files beside this module (``lexicon/*.txt``) so that a
clinic can read and extend them without touching code.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_HERE = Path(__file__).with_name("lexicon")


def _words(name: str) -> frozenset[str]:
    text = (_HERE / name).read_text(encoding="utf-8")
    lines = (line for line in text.splitlines() if not line.startswith("#"))
    return frozenset(w for line in lines for w in line.split())


@cache
def ambiguous_names() -> frozenset[str]:
    """Given names that are also ordinary words ("hope", "will", "may"), lowercase."""
    return _words("ambiguous.txt")


@cache
def given_names() -> frozenset[str]:
    """Given names that are not ordinary English words, lowercase."""
    return _words("first_names.txt") - ambiguous_names()


@cache
def towns() -> tuple[str, ...]:
    """Town and city names as written, longest first (so "New York City" beats "York")."""
    text = (_HERE / "places.txt").read_text(encoding="utf-8")
    names = {line.strip() for line in text.splitlines()
             if line.strip() and not line.startswith("#")}
    return tuple(sorted(names, key=len, reverse=True))


def _set(text: str) -> frozenset[str]:
    return frozenset(text.lower().split())


#: Titles before a name; the name after them is a person even if it is a name-word.
TITLES = _set("""dr dr. doctor mr mr. mrs mrs. ms ms. miss mx prof prof. professor father fr fr.
sister brother aunt auntie aunty uncle grandma grandpa granny grandad granddad nana nan papa
judge officer detective coach pastor rabbi imam reverend rev rev. sergeant sgt captain nurse
cousin""")

#: Relation nouns: "my sister Jenna", "her boyfriend Tomás", "my boss, Mr. Adeyemi".
RELATIONS = _set("""sister brother mom mum mother dad father son daughter husband wife partner
boyfriend girlfriend friend bestie cousin aunt uncle nephew niece grandma grandmother grandpa
grandfather granddaughter grandson boss manager supervisor coworker co-worker colleague
roommate flatmate housemate ex ex-husband ex-wife ex-boyfriend ex-girlfriend neighbour neighbor
sponsor caseworker therapist counselor counsellor psychiatrist doctor teacher stepdad stepmom
stepmother stepfather stepson stepdaughter stepbrother stepsister kid kids baby fiance fiancé
fiancee fiancée lawyer attorney priest pastor mentor classmate sibling twin child children
babysitter nanny landlord landlady parole probation officer mother-in-law father-in-law
sister-in-law brother-in-law son-in-law daughter-in-law stepsibling godmother godfather
godson goddaughter bf gf hubby""")

#: Verbs that follow a person's name ("Hope said", "Will texted me").
SPEECH_VERBS = _set("""said says told tells texted texts called calls asked asks thinks thought
wants wanted keeps kept came comes left yelled screamed cried laughed knows knew invited
hates loves helped helps moved died passed visited visits believes blames blamed promised
admitted mentioned suggested insisted and""")

#: Capitalised words that are never names or places here (function words, interjections,
#: eponyms of disorders and scales, drugs, therapies, platforms, days, holidays, religion).
NOT_NAMES = _set("""i i'm i've i'd i'll a an the and but or so if then when what who why how
where which that this these those there here he she it we they you my his her our their your
me him us them yes no yeah yep nope okay ok oh um uh hmm well like just really maybe sure
right thanks thank please sorry hi hey hello bye good great fine not never always sometimes
email e-mail text texts day call ring write look send tell ask see let get go come listen remember
god jesus christ lord allah buddha bible church mom mum dad mommy daddy grandma grandpa nana
sir madam doc doctor therapist client counselor counsellor
freud jung beck rogers skinner pavlov maslow parkinson parkinson's alzheimer alzheimer's crohn
crohn's asperger asperger's hashimoto hashimoto's tourette tourette's huntington huntington's
down down's bipolar xanax zoloft prozac lexapro wellbutrin adderall ativan klonopin seroquel
abilify lithium tylenol advil ambien valium suboxone narcan cbt dbt act emdr aa na ptsd adhd
ocd er icu va cps dmv gp nhs mrn ssn id usa
facebook instagram insta twitter tiktok snapchat snap reddit youtube google whatsapp zoom
teams discord netflix amazon uber lyft linkedin tinder bumble hinge spotify iphone android
monday tuesday wednesday thursday friday saturday sunday christmas easter thanksgiving
halloween hanukkah ramadan eid diwali passover valentine's
english spanish french german chinese mandarin arabic hindi urdu japanese korean russian
italian portuguese polish vietnamese tagalog african american asian latino latina latinx
hispanic black white catholic christian muslim jewish hindu buddhist mormon protestant
baptist marine marines army navy air force police""")

#: States, provinces and countries: above the level Safe Harbor asks to remove.
STATES_AND_COUNTRIES = frozenset(s.lower() for s in """
Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|
Hawaii|Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|
Michigan|Minnesota|Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|
New Mexico|New York State|North Carolina|North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|
Rhode Island|South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington State|
West Virginia|Wisconsin|Wyoming|Puerto Rico|Ontario|Quebec|British Columbia|Alberta|Manitoba|
Saskatchewan|Nova Scotia|New South Wales|Queensland|Tasmania|England|Scotland|Wales|
Northern Ireland|Ireland|Britain|Great Britain|UK|U.K.|US|U.S.|USA|U.S.A.|America|
United States|United Kingdom|Canada|Mexico|Brazil|Argentina|Chile|Colombia|Peru|Venezuela|
Cuba|Jamaica|Haiti|Dominican Republic|Guatemala|Honduras|El Salvador|Nicaragua|Costa Rica|
Panama|France|Germany|Spain|Portugal|Italy|Greece|Netherlands|Holland|Belgium|Switzerland|
Austria|Sweden|Norway|Denmark|Finland|Iceland|Poland|Ukraine|Russia|Romania|Hungary|
Czech Republic|Turkey|Israel|Palestine|Lebanon|Syria|Iraq|Iran|Afghanistan|Pakistan|India|
Bangladesh|Sri Lanka|Nepal|China|Japan|Korea|South Korea|North Korea|Vietnam|Thailand|
Cambodia|Laos|Philippines|Indonesia|Malaysia|Singapore|Australia|New Zealand|Nigeria|Ghana|
Kenya|Ethiopia|Somalia|Sudan|Egypt|Morocco|Algeria|Tunisia|Libya|South Africa|Zimbabwe|
Uganda|Rwanda|Congo|Senegal|Cameroon|Eritrea|Saudi Arabia|Yemen|Qatar|Dubai|UAE|Jordan|
Europe|Africa|Asia|South America|North America|Latin America|Middle East|the States|
Caribbean|Scandinavia|Midwest|the Midwest|the South|the North|New England|Pacific Northwest|
States
""".replace("\n", "").split("|") if s.strip())
