"""Content of the sample documents, written for these samples (fictitious but realistic).

Everything printed on a sample page comes from here, and the ground truth in samples/truth/
is derived from the same data by generate.py, so the two cannot disagree.

Narrative blocks are ``(style, text)`` with style one of title, subtitle, heading, para,
``("bullets", [items])`` or ``("pagebreak", "")``. Action-plan tables are lists of
``Section`` and ``Act`` rows; an ``Act.key`` identifies the same activity across years so
the expected diffs (changes-*.json) are computed, not hand-written.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

Block = tuple[str, str | list[str]]


@dataclass(frozen=True)
class Section:
    """A row spanning the table: 'Area – Goal'."""

    area: str
    goal: str

    @property
    def text(self) -> str:
        return f"{self.area} – {self.goal}"


@dataclass(frozen=True)
class Act:
    """One action-plan row as printed. ``responsible`` holds canonical names; the printed
    cell joins them ('Haninge, Botkyrka och Huddinge'). ``budget`` is the cell as printed."""

    key: str
    subgoal: str | None
    activity: str
    responsible: tuple[str, ...]
    when: str | None
    budget: str = ""
    comment: str | None = None


# --------------------------------------------------------------------------------------
# Verksamhetsplan 2022
# --------------------------------------------------------------------------------------

PLAN_2022_NARRATIVE: list[Block] = [
    ("title", "Verksamhetsplan 2022"),
    ("subtitle", "Samarbetskommittén Södertörn"),
    ("heading", "Vision 2030"),
    (
        "para",
        "Södertörn är en attraktiv och växande del av Stockholmsregionen med närmare en "
        "halv miljon invånare. Genom samverkan, mångfald och handlingskraft skapar vi "
        "livskvalitet och en långsiktigt hållbar utveckling för alla som bor och verkar här.",
    ),
    ("heading", "1. Samarbetskommitténs uppdrag"),
    (
        "para",
        "Samarbetskommittén Södertörn består av kommunstyrelsernas ordförande och "
        "kommundirektörerna i Botkyrka, Haninge, Huddinge, Nykvarn, Nynäshamn, Salem, "
        "Södertälje och Tyresö. Kommittén ska stärka den kommunala och regionala "
        "utvecklingen och ge kommunerna bättre förutsättningar att nå sina mål.",
    ),
    (
        "para",
        "Verksamhetsplanen beskriver årets prioriteringar, arbetsformer och budget. "
        "Handlingsplanen i bilaga 1 anger vilka aktiviteter som genomförs, vem som ansvarar "
        "och när arbetet ska vara klart.",
    ),
    ("heading", "2. Förhållningssätt"),
    ("para", "Vår samverkan ska kännetecknas av:"),
    (
        "bullets",
        [
            "fokus på den gemensamma nyttan för invånare och företag,",
            "respekt för den demokratiska processen i varje kommun,",
            "öppenhet och förtroende mellan kommunerna,",
            "ett gott regionalt ledarskap där vi både ger och får.",
        ],
    ),
    ("heading", "3. Ägarstyrning och arbetsformer"),
    (
        "para",
        "Kommittén sammanträder sex gånger per år. Ordförandeskapet roterar mellan "
        "kommunerna och sekretariatet är placerat i Huddinge. Ägarstyrningen av gemensamma "
        "bolag och förbund följs upp vid kommitténs möten, och kommundirektörerna bereder "
        "ärendena i god tid före varje sammanträde.",
    ),
    (
        "para",
        "Varje vår genomförs ett Rådslag där förtroendevalda från alla åtta kommuner möts "
        "för att diskutera gemensamma utmaningar. Rådslaget ger underlag för nästa års "
        "verksamhetsplan.",
    ),
    ("heading", "4. Prioriterade frågor 2022"),
    (
        "bullets",
        [
            "Tvärförbindelse Södertörn och utbyggnaden av väg 73 i dialog med Trafikverket.",
            "En snabbare och tätare kollektivtrafik i samarbete med Region Stockholm.",
            "Kompetensförsörjning och fler utbildningsplatser vid Södertörns högskola.",
            "Gemensamma ställningstaganden i StorSthlm och i länets planeringsfrågor.",
            "Minskade utsläpp av växthusgaser och en säker omställning av transporterna.",
        ],
    ),
    ("heading", "5. Nätverk och samverkansgrupper"),
    (
        "para",
        "Arbetet bedrivs i nätverk där tjänstepersoner från kommunerna träffas regelbundet. "
        "Planeringscheferna ansvarar för infrastrukturfrågorna, klimatstrategerna för "
        "klimatarbetet och näringslivscheferna för frågor om företagsklimat och "
        "kompetensförsörjning. Nätverken rapporterar till kommundirektörerna två gånger "
        "per år.",
    ),
    ("heading", "6. Uppföljning och budget"),
    (
        "para",
        "Handlingsplanen följs upp vid kommitténs sista möte för året. Kostnaderna för "
        "gemensamma aktiviteter fördelas mellan kommunerna efter antal invånare den "
        "1 januari. Budgeten för 2022 framgår av handlingsplanen och får inte överskridas "
        "utan beslut i kommittén.",
    ),
    (
        "para",
        "Större utredningar som berör hela Södertörn ska förankras i samtliga kommuner "
        "innan de påbörjas. Resultaten redovisas öppet och görs tillgängliga för "
        "förtroendevalda, medarbetare och invånare.",
    ),
]

INFRA = Section("Infrastruktur", "Utnyttja den nya infrastrukturen")
KLIMAT = Section("Klimat", "Leda omställningen till ett klimateffektivt samhälle")
NARINGSLIV = Section("Näringsliv och högskola", "Stödja ett kunskapsintensivt näringsliv")
MANGFALD = Section("Olikhet och mångfald", "Nyttja tillgänglig kompetens i tillväxtsyfte")

SUB_POSITION = (
    "Vi positionerar Södertörn i ett regionalt och nationellt sammanhang för "
    "infrastruktur och transporter"
)
SUB_KOLLEKTIV = "Vi verkar för en snabbare och tätare kollektivtrafik på Södertörn"
SUB_GODS = "Vi verkar för hållbara och kapacitetsstarka godstransporter"
SUB_UTSLAPP = "Vi bidrar till en långsiktig minskning av utsläppen av växthusgaser"
SUB_MATCHNING = "Vi förbättrar matchningen mellan företagens behov och arbetsmarknaden"
SUB_FORETAG = "Vi förbättrar företagsklimatet på Södertörn"
SUB_ETABLERING = "Vi utvecklar en likvärdig etablering för nyanlända"
SUB_SEGREGATION = "Vi motverkar segregation och stärker tilliten"

NTP = Act(
    "ntp",
    SUB_POSITION,
    "Bevaka revideringen av den nationella transportplanen och lämna ett gemensamt yttrande",
    ("Haninge", "Botkyrka", "Huddinge"),
    "Löpande",
    "",
    "Samordnas med Region Stockholm",
)
TRAFIKVERKET = Act(
    "trafikverket",
    SUB_POSITION,
    "Dialog med Trafikverket om Tvärförbindelse Södertörn och väg 73",
    ("Södertörn",),
    "Hösten",
    "50 000 kr",
    "Gemensam uppvaktning med StorSthlm",
)
STOMBUSS = Act(
    "stombuss",
    SUB_KOLLEKTIV,
    "Ta fram underlag om stombusslinjer mellan de regionala stadskärnorna",
    ("Södertälje", "Nykvarn"),
    "Våren",
    "120 000 kr",
    "Konsultstöd upphandlas",
)
OMLASTNING = Act(
    "omlastning",
    SUB_GODS,
    "Kartlägga behovet av omlastningsytor för gods i södra länsdelen",
    ("Nynäshamn", "Haninge"),
    "10 april",
    "4000",
    None,
)
LADDNING = Act(
    "laddning",
    SUB_UTSLAPP,
    "Gemensam kartläggning av laddinfrastruktur för elfordon",
    ("Tyresö", "Salem", "Huddinge"),
    "mars",
    "80 000 kr",
    "Klimatstrategernas nätverk",
)
KLIMATDAG = Act(
    "klimatdag",
    SUB_UTSLAPP,
    "Arrangera en klimatdag för förtroendevalda och tjänstepersoner",
    ("Södertörn",),
    "Hösten",
    "30 000 kr",
    "Lokal hos Södertörns högskola",
)
UPPHANDLING = Act(
    "upphandling",
    SUB_UTSLAPP,
    "Samordna upphandling av fossilfria transporttjänster",
    ("Ekonomidirektörerna",),
    "December",
    "",
    None,
)
YH = Act(
    "yh",
    SUB_MATCHNING,
    "Ansöka om nya yrkeshögskoleutbildningar tillsammans med näringslivet",
    ("Botkyrka", "Södertälje"),
    "Löpande",
    "",
    "YH-nätverket",
)
NARINGSLIVSDAG = Act(
    "naringslivsdag",
    SUB_MATCHNING,
    "Genomföra en gemensam näringslivsdag med Södertörns högskola",
    ("Södertörn",),
    "Våren",
    "60 000 kr",
    "Inbjudan via StorSthlm",
)
HANDLAGGNING = Act(
    "handlaggning",
    SUB_FORETAG,
    "Jämföra handläggningstider för bygglov och serveringstillstånd",
    ("Näringslivscheferna",),
    "Hösten",
    "",
    "Resultatet redovisas på Rådslaget",
)
ETABLERING = Act(
    "etablering",
    SUB_ETABLERING,
    "Erfarenhetsutbyte om samhällsorientering och språkstöd för nyanlända",
    ("Haninge", "Nynäshamn", "Tyresö"),
    "Löpande",
    "",
    None,
)
KVINNOR = Act(
    "kvinnor",
    SUB_ETABLERING,
    "Kartlägga vägar till arbete för utrikes födda kvinnor",
    ("Huddinge", "Botkyrka"),
    "mars",
    "40 000 kr",
    "Samverkan med Arbetsförmedlingen",
)
DIALOG = Act(
    "dialog",
    SUB_SEGREGATION,
    "Utbildning i medborgardialog för förvaltningarnas chefer",
    ("Södertörn",),
    "December",
    "25 000 kr",
    None,
)

PLAN_2022_TABLE: list[Section | Act] = [
    INFRA,
    NTP,
    TRAFIKVERKET,
    STOMBUSS,
    OMLASTNING,
    KLIMAT,
    LADDNING,
    KLIMATDAG,
    UPPHANDLING,
    NARINGSLIV,
    YH,
    NARINGSLIVSDAG,
    HANDLAGGNING,
    MANGFALD,
    ETABLERING,
    KVINNOR,
    DIALOG,
]

# --------------------------------------------------------------------------------------
# Verksamhetsplan 2023 (changes against 2022 are listed in changes-2022-2023.json,
# computed from the keys: moved, rescheduled, re-budgeted, reworded, other area,
# two added, two removed, the rest unchanged)
# --------------------------------------------------------------------------------------

PLAN_2023_NARRATIVE: list[Block] = [
    ("title", "Verksamhetsplan 2023"),
    ("subtitle", "Samarbetskommittén Södertörn"),
    ("heading", "Inledning"),
    (
        "para",
        "Samarbetskommittén Södertörn är ett forum för de åtta kommunerna Botkyrka, "
        "Haninge, Huddinge, Nykvarn, Nynäshamn, Salem, Södertälje och Tyresö. Under 2023 "
        "fortsätter vi arbetet med de prioriteringar som lades fast på Rådslaget i maj.",
    ),
    ("heading", "1. Mål för året"),
    (
        "bullets",
        [
            "Stärka Södertörns röst i Region Stockholm och i StorSthlm.",
            "Påskynda beslut om Tvärförbindelse Södertörn och pendeltågens kapacitet.",
            "Öka antalet studenter från kommunerna vid Södertörns högskola.",
            "Minska utsläppen från kommunernas egna transporter och maskiner.",
        ],
    ),
    ("heading", "2. Arbetsformer"),
    (
        "para",
        "Kommittén sammanträder fem gånger under året. Kommundirektörerna bereder ärendena "
        "och ansvarar för att nätverken får tydliga uppdrag. Ägarstyrningen av gemensamma "
        "bolag och förbund följs upp i samband med delårsrapporten.",
    ),
    ("heading", "3. Budget"),
    (
        "para",
        "Den gemensamma budgeten fördelas efter folkmängd. Förändringar jämfört med "
        "föregående år framgår av handlingsplanen i bilaga 1. Större avvikelser rapporteras "
        "till kommittén så snart de är kända.",
    ),
    ("heading", "4. Kommunikation"),
    (
        "para",
        "Kommitténs arbete ska vara känt i kommunernas organisationer. Efter varje "
        "sammanträde skickas en kort sammanfattning till kommunstyrelsernas ledamöter, och "
        "en gång per år publiceras en rapport om vad samverkan har åstadkommit för "
        "invånarna på Södertörn.",
    ),
]

DAGVATTEN = Act(
    "dagvatten",
    SUB_UTSLAPP,
    "Ta fram en gemensam plan för klimatanpassning av dagvattenhanteringen",
    ("Huddinge", "Tyresö", "Haninge"),
    "Hösten",
    "75 000 kr",
    "Länsstyrelsen bjuds in",
)
VARD = Act(
    "vard",
    SUB_MATCHNING,
    "Stödja kommunernas kompetensförsörjning inom vård och omsorg",
    ("Södertälje", "Salem", "Nykvarn"),
    "Löpande",
    "",
    None,
)

PLAN_2023_TABLE: list[Section | Act] = [
    INFRA,
    replace(NTP, responsible=("Haninge", "Tyresö")),
    TRAFIKVERKET,
    replace(STOMBUSS, when="Hösten"),
    replace(UPPHANDLING, subgoal=SUB_GODS),
    KLIMAT,
    replace(LADDNING, budget="100 000 kr"),
    KLIMATDAG,
    DAGVATTEN,
    NARINGSLIV,
    YH,
    replace(
        NARINGSLIVSDAG,
        activity="Genomföra en gemensam näringslivsdag tillsammans med Södertörns högskola",
    ),
    VARD,
    MANGFALD,
    ETABLERING,
    KVINNOR,
    DIALOG,
]

# --------------------------------------------------------------------------------------
# Verksamhetsplan 2024 (born digital; changes against 2023 in changes-2023-2024.json)
# --------------------------------------------------------------------------------------

PLAN_2024_NARRATIVE: list[Block] = [
    ("title", "Verksamhetsplan 2024"),
    ("subtitle", "Samarbetskommittén Södertörn"),
    ("heading", "Inledning"),
    (
        "para",
        "Verksamhetsplanen för 2024 bygger på de erfarenheter som gjorts under de två "
        "senaste åren. Samverkan mellan kommunerna har fördjupats och flera gemensamma "
        "utredningar har slutförts, bland annat om stombusslinjer och laddinfrastruktur.",
    ),
    ("heading", "Prioriteringar"),
    (
        "bullets",
        [
            "Genomförandet av Tvärförbindelse Södertörn och en utbyggd pendeltågstrafik.",
            "Klimatanpassning, dagvatten och en trygg vattenförsörjning.",
            "Sommarjobb och vägar till arbete för unga och nyanlända.",
            "Säkrare och tryggare stadskärnor i hela Södertörn.",
        ],
    ),
    ("heading", "Uppföljning"),
    (
        "para",
        "Handlingsplanen följs upp i juni och i december. Kommundirektörerna redovisar då "
        "hur aktiviteterna fortskrider och om budgeten håller. Resultaten presenteras på "
        "Rådslaget och publiceras på kommunernas webbplatser.",
    ),
]

CYKEL = Act(
    "cykel",
    SUB_KOLLEKTIV,
    "Samordna planeringen av regionala cykelstråk mellan kommunerna",
    ("Huddinge", "Tyresö", "Haninge"),
    "Löpande",
    "",
    "Utgår från den regionala cykelplanen",
)
SOMMARJOBB = Act(
    "sommarjobb",
    SUB_SEGREGATION,
    "Gemensam satsning på sommarjobb för ungdomar i föreningslivet",
    ("Södertörn",),
    "Våren",
    "150 000 kr",
    "Medfinansiering söks",
)

PLAN_2024_TABLE: list[Section | Act] = [
    INFRA,
    replace(NTP, responsible=("Haninge", "Tyresö")),
    replace(TRAFIKVERKET, when="Våren"),
    replace(STOMBUSS, when="Hösten"),
    CYKEL,
    replace(UPPHANDLING, subgoal=SUB_GODS),
    KLIMAT,
    replace(LADDNING, budget="100 000 kr"),
    replace(KLIMATDAG, budget="35 000 kr", comment="Digitalt och på plats"),
    replace(
        DAGVATTEN,
        activity="Ta fram en gemensam plan för klimatanpassning och hållbar dagvattenhantering",
    ),
    NARINGSLIV,
    YH,
    replace(
        NARINGSLIVSDAG,
        activity="Genomföra en gemensam näringslivsdag tillsammans med Södertörns högskola",
    ),
    VARD,
    MANGFALD,
    replace(KVINNOR, responsible=("Huddinge", "Botkyrka", "Salem")),
    DIALOG,
    SOMMARJOBB,
]

# --------------------------------------------------------------------------------------
# Narrative-only documents: the poor scan, the rotated pages and the legacy OCR layer
# --------------------------------------------------------------------------------------

RADSLAG_2021_TITLE = "Minnesanteckningar från Rådslaget 2021"
RADSLAG_2021: list[Block] = [
    ("title", RADSLAG_2021_TITLE),
    ("subtitle", "Samarbetskommittén Södertörn, Tyresö den 6 maj 2021"),
    ("heading", "Närvarande"),
    (
        "para",
        "Förtroendevalda och tjänstepersoner från samtliga åtta kommuner deltog. Mötet "
        "leddes av kommitténs ordförande och sekreterare var kanslichefen i Tyresö.",
    ),
    ("heading", "1. Läget i regionen"),
    (
        "para",
        "Region Stockholm redovisade arbetet med den regionala utvecklingsplanen. "
        "Kommunerna framförde att Södertörns behov av tvärförbindelser och nya "
        "pendeltågsstationer måste synas tydligare i planen. Flera deltagare påpekade att "
        "bostadsbyggandet på Södertörn förutsätter att kollektivtrafiken byggs ut i samma "
        "takt.",
    ),
    ("heading", "2. Kompetensförsörjning"),
    (
        "para",
        "Södertörns högskola och kommunernas arbetsmarknadsenheter berättade om försöket "
        "med korta yrkesutbildningar inom vård, bygg och transport. Rådslaget ansåg att "
        "försöket bör utvidgas till fler kommuner under nästa år.",
    ),
    ("heading", "3. Överenskommelser"),
    (
        "bullets",
        [
            "Kommundirektörerna får i uppdrag att ta fram ett förslag till gemensamt "
            "yttrande över den regionala planen.",
            "Nätverket för näringslivsfrågor återkommer med en plan för företagsbesök "
            "under hösten.",
            "Nästa Rådslag hålls i Södertälje i maj 2022.",
        ],
    ),
]

LAGESRAPPORT_2020_TITLE = "Lägesrapport infrastruktur 2020"
LAGESRAPPORT_2020: list[Block] = [
    ("title", LAGESRAPPORT_2020_TITLE),
    ("subtitle", "Samarbetskommittén Södertörn"),
    ("heading", "Tvärförbindelse Södertörn"),
    (
        "para",
        "Trafikverket har under året fortsatt arbetet med vägplanen för Tvärförbindelse "
        "Södertörn mellan E4/E20 vid Kungens kurva och väg 73 vid Haninge. Förberedande "
        "arbeten har påbörjats i Flemingsberg och i Glömsta. Kommunerna följer arbetet "
        "genom en gemensam referensgrupp där även Region Stockholm deltar.",
    ),
    (
        "para",
        "Projektet är en förutsättning för att de regionala stadskärnorna Flemingsberg och "
        "Haninge centrum ska kunna växa. Den nya vägen väntas minska genomfartstrafiken i "
        "bostadsområdena och förbättra tillgängligheten för näringslivet i hela södra "
        "länsdelen.",
    ),
    ("heading", "Väg 73 och Nynäshamns hamn"),
    (
        "para",
        "Stockholm Norvik Hamn i Nynäshamn har tagits i drift och godsflödena på väg 73 "
        "ökar. Kommunerna har gemensamt begärt att Trafikverket prioriterar åtgärder för "
        "trafiksäkerhet och framkomlighet, särskilt vid trafikplatserna i Vega och Jordbro.",
    ),
    ("heading", "Pendeltåg och busstrafik"),
    (
        "para",
        "Region Stockholm planerar för tätare pendeltågstrafik till Södertälje och "
        "Nynäshamn. En förstudie om nya stombusslinjer mellan Skärholmen, Flemingsberg och "
        "Haninge blir klar under hösten. Kommunerna lämnar synpunkter på förstudien i ett "
        "samlat yttrande.",
    ),
    ("pagebreak", ""),
    ("heading", "Cykel"),
    (
        "para",
        "Den regionala cykelplanen pekar ut flera stråk på Södertörn. Botkyrka, Huddinge "
        "och Tyresö har påbörjat arbetet med att knyta ihop sina cykelvägar över "
        "kommungränserna. Arbetet samordnas av planeringscheferna, som också ansvarar för "
        "att sammanställa kommunernas önskemål inför nästa revidering av cykelplanen.",
    ),
    ("heading", "Fortsatt arbete"),
    (
        "bullets",
        [
            "Referensgruppen för tvärförbindelsen träffas varannan månad.",
            "Ett gemensamt yttrande över förstudien lämnas före årsskiftet.",
            "Planeringscheferna följer upp trafiksäkerheten på väg 73.",
            "Kommunerna ser över behovet av pendlarparkeringar vid stationerna.",
        ],
    ),
    (
        "para",
        "Rapporten har beretts av planeringscheferna och godkänts av kommundirektörerna "
        "för att redovisas på kommitténs sammanträde i november.",
    ),
]

BERATTELSE_2020_TITLE = "Verksamhetsberättelse 2020"
BERATTELSE_2020: list[Block] = [
    ("title", BERATTELSE_2020_TITLE),
    ("subtitle", "Samarbetskommittén Södertörn"),
    ("heading", "Året i korthet"),
    (
        "para",
        "År 2020 präglades av pandemin. Kommittén övergick tidigt till digitala möten och "
        "kunde därför genomföra samtliga planerade sammanträden. Rådslaget sköts upp till "
        "hösten och hölls för första gången helt digitalt med över hundra deltagare från "
        "de åtta kommunerna.",
    ),
    (
        "para",
        "Trots de svåra förutsättningarna slutfördes flera gemensamma utredningar. "
        "Kommunerna lämnade ett samlat yttrande över länsplanen för transportinfrastruktur "
        "och ett gemensamt remissvar på Region Stockholms trafikförsörjningsprogram.",
    ),
    ("heading", "Näringsliv och kompetensförsörjning"),
    (
        "para",
        "Många företag på Södertörn drabbades hårt av minskad efterfrågan. "
        "Näringslivscheferna träffades varje vecka under våren för att samordna stödet "
        "till företagen och dela erfarenheter av lokala åtgärder. Tillsammans med "
        "Södertörns högskola startades korta utbildningar för personer som förlorat sitt "
        "arbete.",
    ),
    ("pagebreak", ""),
    ("heading", "Klimat och miljö"),
    (
        "para",
        "Klimatstrategerna har följt upp kommunernas klimatlöften och sammanställt en "
        "gemensam lägesbild. Utsläppen från kommunernas egna fordon har minskat med nästan "
        "en femtedel sedan 2017, främst tack vare övergången till förnybara drivmedel och "
        "elbilar. Arbetet med laddplatser vid förskolor, äldreboenden och idrottshallar "
        "fortsätter nästa år.",
    ),
    ("heading", "Ekonomi"),
    (
        "para",
        "Kommitténs kostnader blev lägre än budgeterat eftersom resor, lokaler och "
        "konferenser uteblev. Överskottet återbetalas till kommunerna i förhållande till "
        "deras andel av kostnaderna.",
    ),
    ("heading", "Framåtblick"),
    (
        "para",
        "Erfarenheterna från året visar att samverkan mellan kommunerna är särskilt "
        "värdefull i en kris. Kommittén kommer att fortsätta utveckla de digitala "
        "arbetsformerna även när mötena åter kan hållas på plats. Ägarstyrningen av de "
        "gemensamma bolagen ska ses över under våren, och förslag till förändringar "
        "redovisas på nästa Rådslag.",
    ),
]

# --------------------------------------------------------------------------------------
# Samarbetsavtal 2019
# --------------------------------------------------------------------------------------

MUNICIPALITIES = (
    "Botkyrka",
    "Haninge",
    "Huddinge",
    "Nykvarn",
    "Nynäshamn",
    "Salem",
    "Södertälje",
    "Tyresö",
)

AGREEMENT_2019_TITLE = "Samarbetsavtal för Samarbetskommittén Södertörn"
AGREEMENT_2019_PREAMBLE = (
    "Detta avtal har slutits mellan Botkyrka kommun, Haninge kommun, Huddinge kommun, "
    "Nykvarns kommun, Nynäshamns kommun, Salems kommun, Södertälje kommun och Tyresö "
    "kommun, nedan kallade kommunerna. Avtalet reglerar formerna för kommunernas "
    "gemensamma arbete i Samarbetskommittén Södertörn."
)
AGREEMENT_2019_CLAUSES: list[tuple[str, str, str]] = [
    (
        "1",
        "Syfte",
        "Samarbetet syftar till att stärka Södertörns utveckling och ställning i "
        "Stockholmsregionen. Kommunerna ska genom samverkan nå resultat som ingen av dem "
        "kan nå på egen hand.",
    ),
    (
        "2",
        "Organisation",
        "Samarbetskommittén består av kommunstyrelsernas ordförande i de åtta kommunerna. "
        "Kommundirektörerna deltar som föredragande och bereder kommitténs ärenden.",
    ),
    (
        "3",
        "Ordförande",
        "Ordförandeskapet roterar mellan kommunerna i den ordning kommittén beslutar. "
        "Ordföranden väljs för två år i taget och leder kommitténs arbete.",
    ),
    (
        "4",
        "Sammanträden",
        "Kommittén sammanträder minst fyra gånger per år. Kallelse och underlag skickas ut "
        "senast en vecka före sammanträdet. Minnesanteckningar förs vid varje möte och "
        "justeras av ordföranden.",
    ),
    (
        "5",
        "Beslut",
        "Kommittén fattar inga beslut som binder kommunerna. Ställningstaganden som kräver "
        "beslut förs vidare till respektive kommunstyrelse för behandling i den ordning som "
        "gäller där.",
    ),
    (
        "6",
        "Sekretariat",
        "Sekretariatet är placerat hos den kommun som innehar ordförandeskapet. "
        "Sekretariatet ansvarar för kallelser, minnesanteckningar, ekonomisk redovisning "
        "och den löpande samordningen mellan kommunernas nätverk och arbetsgrupper. "
        "Kostnaden för sekretariatet ingår i den gemensamma budgeten.",
    ),
    (
        "7",
        "Kostnadsfördelning",
        "Gemensamma kostnader fördelas mellan kommunerna efter antal invånare den 1 januari "
        "året före verksamhetsåret. Kommittén fastställer årligen en budget för det "
        "gemensamma arbetet. Kostnaderna faktureras kommunerna två gånger per år.",
    ),
    (
        "8",
        "Avtalstid",
        "Avtalet gäller från och med den 1 januari 2020 och tills vidare. Avtalet ska ses "
        "över en gång under varje mandatperiod. Ändringar i avtalet ska godkännas av "
        "kommunfullmäktige i samtliga kommuner innan de börjar gälla.",
    ),
    (
        "9",
        "Uppsägning",
        "En kommun som vill lämna samarbetet ska skriftligen säga upp avtalet. "
        "Uppsägningstiden är tolv månader räknat från årsskiftet efter uppsägningen. "
        "Kommunen svarar för sin andel av kostnaderna under uppsägningstiden.",
    ),
    (
        "10",
        "Kommitténs upplösande",
        "Om samtliga kommuner är överens kan kommittén upplösas. Gemensamma tillgångar och "
        "skulder fördelas då efter samma grund som kostnaderna.",
    ),
]
AGREEMENT_2019_PLACE = "Huddinge"
AGREEMENT_2019_DATE_TEXT = "15 november 2019"
AGREEMENT_2019_DATE = "2019-11-15"
AGREEMENT_2019_SIGNATURES: list[tuple[str, str]] = [
    ("Karin Ekström", "Botkyrka kommun"),
    ("Mikael Sjöberg", "Haninge kommun"),
    ("Åsa Nordström", "Huddinge kommun"),
    ("Lars Öhman", "Nykvarns kommun"),
    ("Britt-Marie Dahl", "Nynäshamns kommun"),
    ("Jörgen Wallin", "Salems kommun"),
    ("Sofia Håkansson", "Södertälje kommun"),
    ("Peter Lönnqvist", "Tyresö kommun"),
]

