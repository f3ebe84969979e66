//! Word lists for the [field normalisers](super): nicknames, titles, particles, legal forms, free-mail
//! providers, public suffixes, city exonyms, month and weekday names, and telephone country
//! data.
//!
//! All lists are written from general knowledge of German, Dutch and English usage for this
//! project (no list was copied from another code base). Keys are in matching-key form: lower
//! case, German transliteration (`ä` → `ae`), accents stripped, and for titles also without
//! dots and hyphens (`Dipl.-Ing.` → `dipling`).
//!
//! Every sorted list is searched with `binary_search`; a unit test keeps them sorted and
//! unique, so adding an entry in the wrong place fails a test instead of silently missing.

/// Given-name diminutives and short forms → canonical full form, for English, German and
/// Dutch (the comment names the language the entry comes from).
///
/// Only forms that string similarity would miss are listed ("Hans"/"Johannes",
/// "Kees"/"Cornelis", "Bill"/"William"); spelling variants that Jaro-Winkler already scores
/// high ("Johann"/"Johannes", "Bernd"/"Bernhard") are left to the comparator. Forms that are
/// common full names of more than one person are left out because any choice would be
/// wrong half of the time: `jan` (Dutch Johannes, English Janet), `chris` (Christopher,
/// Christian, Christina), `alex`, `sam`, `andy` (English Andrew, German Andreas), `dick`
/// (English Richard, Dutch Dirk), `fred`/`freddy` (Alfred, Frederick, Manfred), `lisa`,
/// `jo`, `hein` (Heinrich or Hendrik), `willy` (Wilhelm or William), `max`, `ben`, `phil`.
/// Canonical forms follow the language of the short form, so German `fritz` → `friedrich`
/// and Dutch `frits` → `frederik`. No canonical form is itself a key, so mapping twice
/// changes nothing.
pub(crate) const NICKNAMES: &[(&str, &str)] = &[
    ("aad", "adriaan"),         // nl
    ("abbie", "abigail"),       // en
    ("abby", "abigail"),        // en
    ("abe", "abraham"),         // en
    ("achim", "joachim"),       // de
    ("adri", "adriaan"),        // nl
    ("adrianus", "adriaan"),    // nl
    ("adrie", "adriaan"),       // nl
    ("alf", "alfred"),          // en
    ("alfie", "alfred"),        // en
    ("andi", "andreas"),        // de
    ("antonius", "anton"),      // nl
    ("archie", "archibald"),    // en
    ("arie", "adriaan"),        // nl
    ("babs", "barbara"),        // en
    ("babsi", "barbara"),       // de
    ("baerbel", "barbara"),     // de
    ("barb", "barbara"),        // en
    ("bas", "sebastiaan"),      // nl
    ("basti", "sebastian"),     // de
    ("becca", "rebecca"),       // en
    ("becky", "rebecca"),       // en
    ("benji", "benjamin"),      // en
    ("benny", "benjamin"),      // en
    ("bep", "elisabeth"),       // nl
    ("bernie", "bernard"),      // en
    ("bess", "elizabeth"),      // en
    ("bessie", "elizabeth"),    // en
    ("beth", "elizabeth"),      // en
    ("betsy", "elizabeth"),     // en
    ("bette", "elizabeth"),     // en
    ("betty", "elizabeth"),     // en
    ("bill", "william"),        // en
    ("billy", "william"),       // en
    ("bine", "sabine"),         // de
    ("bob", "robert"),          // en
    ("bobby", "robert"),        // en
    ("bram", "abraham"),        // nl
    ("carrie", "caroline"),     // en
    ("cathy", "catherine"),     // en
    ("cees", "cornelis"),       // nl
    ("charlie", "charles"),     // en
    ("chas", "charles"),        // en
    ("christl", "christine"),   // de
    ("chuck", "charles"),       // en
    ("cindy", "cynthia"),       // en
    ("claas", "nicolaas"),      // nl
    ("claus", "nikolaus"),      // de
    ("cliff", "clifford"),      // en
    ("connie", "constance"),    // en
    ("cor", "cornelis"),        // nl
    ("daan", "daniel"),         // nl
    ("dan", "daniel"),          // en
    ("danny", "daniel"),        // en
    ("dave", "david"),          // en
    ("davey", "david"),         // en
    ("davy", "david"),          // en
    ("deb", "deborah"),         // en
    ("debbie", "deborah"),      // en
    ("debby", "deborah"),       // en
    ("dolly", "dorothy"),       // en
    ("domi", "dominik"),        // de
    ("don", "donald"),          // en
    ("donnie", "donald"),       // en
    ("dot", "dorothy"),         // en
    ("dottie", "dorothy"),      // en
    ("doug", "douglas"),        // en
    ("dougie", "douglas"),      // en
    ("ecki", "eckhard"),        // de
    ("ed", "edward"),           // en
    ("eddie", "edward"),        // en
    ("eddy", "edward"),         // en
    ("els", "elisabeth"),       // nl
    ("elsie", "elizabeth"),     // en
    ("ernie", "ernest"),        // en
    ("ferdi", "ferdinand"),     // de
    ("fons", "alfons"),         // nl
    ("franzi", "franziska"),    // de
    ("freek", "frederik"),      // nl
    ("frits", "frederik"),      // nl
    ("fritz", "friedrich"),     // de
    ("gabi", "gabriele"),       // de
    ("gene", "eugene"),         // en
    ("geo", "george"),          // en
    ("geoff", "geoffrey"),      // en
    ("gerardus", "gerard"),     // nl
    ("gijs", "gijsbert"),       // nl
    ("ginny", "virginia"),      // en
    ("gitti", "brigitte"),      // de
    ("greet", "margaretha"),    // nl
    ("greg", "gregory"),        // en
    ("gretchen", "margarete"),  // de
    ("grete", "margarete"),     // de
    ("gretel", "margarete"),    // de
    ("griet", "margaretha"),    // nl
    ("grietje", "margaretha"),  // nl
    ("guus", "gustaaf"),        // nl
    ("gwen", "gwendolyn"),      // en
    ("hank", "henry"),          // en
    ("hanneke", "johanna"),     // nl
    ("hannes", "johannes"),     // de
    ("hans", "johannes"),       // de
    ("hansi", "johannes"),      // de
    ("harm", "herman"),         // nl
    ("harry", "henry"),         // en
    ("hattie", "harriet"),      // en
    ("heiner", "heinrich"),     // de
    ("heini", "heinrich"),      // de
    ("heinz", "heinrich"),      // de
    ("hendrikus", "hendrik"),   // nl
    ("henk", "hendrik"),        // nl
    ("henricus", "hendrik"),    // nl
    ("hinnerk", "heinrich"),    // de
    ("huub", "hubertus"),       // nl
    ("jaap", "jacob"),          // nl
    ("jack", "john"),           // en
    ("jacobus", "jacob"),       // nl
    ("jake", "jacob"),          // en
    ("janneke", "johanna"),     // nl
    ("jannie", "johanna"),      // nl
    ("jas", "james"),           // en
    ("jef", "jozef"),           // nl
    ("jeff", "jeffrey"),        // en
    ("jen", "jennifer"),        // en
    ("jenn", "jennifer"),       // en
    ("jim", "james"),           // en
    ("jimmy", "james"),         // en
    ("jochen", "joachim"),      // de
    ("joe", "joseph"),          // en
    ("joep", "jozef"),          // nl
    ("joey", "joseph"),         // en
    ("johnny", "john"),         // en
    ("joke", "johanna"),        // nl
    ("joop", "johannes"),       // nl
    ("judy", "judith"),         // en
    ("jule", "julia"),          // de
    ("jupp", "josef"),          // de
    ("kaatje", "catharina"),    // nl
    ("kaethe", "katharina"),    // de
    ("kalle", "karl"),          // de
    ("kate", "catherine"),      // en
    ("katharine", "catherine"), // en
    ("katherine", "catherine"), // en
    ("kathi", "katharina"),     // de
    ("kathryn", "catherine"),   // en
    ("kathy", "catherine"),     // en
    ("kati", "katharina"),      // de
    ("katie", "catherine"),     // en
    ("kees", "cornelis"),       // nl
    ("ken", "kenneth"),         // en
    ("kenny", "kenneth"),       // en
    ("kitty", "catherine"),     // en
    ("klaas", "nicolaas"),      // nl
    ("klaus", "nikolaus"),      // de
    ("koos", "jacob"),          // nl
    ("larry", "lawrence"),      // en
    ("len", "leonard"),         // en
    ("lenny", "leonard"),       // en
    ("lex", "alexander"),       // nl
    ("libby", "elizabeth"),     // en
    ("lies", "elisabeth"),      // nl
    ("liesbeth", "elisabeth"),  // nl
    ("liesel", "elisabeth"),    // de
    ("liesl", "elisabeth"),     // de
    ("lisbeth", "elisabeth"),   // nl
    ("liz", "elizabeth"),       // en
    ("lizzie", "elizabeth"),    // en
    ("lizzy", "elizabeth"),     // en
    ("lotte", "charlotte"),     // de
    ("lotti", "charlotte"),     // de
    ("lottie", "charlotte"),    // en
    ("luki", "lukas"),          // de
    ("maddie", "madeline"),     // en
    ("maddy", "madeline"),      // en
    ("madge", "margaret"),      // en
    ("maggie", "margaret"),     // en
    ("mal", "malcolm"),         // en
    ("mandy", "amanda"),        // en
    ("manni", "manfred"),       // de
    ("matt", "matthew"),        // en
    ("matty", "matthew"),       // en
    ("matze", "matthias"),      // de
    ("meg", "margaret"),        // en
    ("micha", "michael"),       // de
    ("michi", "michael"),       // de
    ("mick", "michael"),        // en
    ("mickey", "michael"),      // en
    ("micky", "michael"),       // en
    ("mieke", "maria"),         // nl
    ("mike", "michael"),        // en
    ("mikey", "michael"),       // en
    ("mitch", "mitchell"),      // en
    ("moni", "monika"),         // de
    ("nate", "nathan"),         // en
    ("ned", "edward"),          // en
    ("nick", "nicholas"),       // en
    ("olli", "oliver"),         // de
    ("ollie", "oliver"),        // en
    ("paddy", "patrick"),       // en
    ("pam", "pamela"),          // en
    ("patsy", "patricia"),      // en
    ("patty", "patricia"),      // en
    ("peg", "margaret"),        // en
    ("peggy", "margaret"),      // en
    ("penny", "penelope"),      // en
    ("pete", "peter"),          // en
    ("petrus", "pieter"),       // nl
    ("piet", "pieter"),         // nl
    ("pim", "willem"),          // nl
    ("poldi", "leopold"),       // de
    ("ray", "raymond"),         // en
    ("reg", "reginald"),        // en
    ("reggie", "reginald"),     // en
    ("resi", "theresia"),       // de
    ("ria", "maria"),           // nl
    ("rich", "richard"),        // en
    ("richie", "richard"),      // en
    ("rick", "richard"),        // en
    ("ricky", "richard"),       // en
    ("rinus", "marinus"),       // nl
    ("rob", "robert"),          // en
    ("robbie", "robert"),       // en
    ("robby", "robert"),        // en
    ("ron", "ronald"),          // en
    ("ronnie", "ronald"),       // en
    ("rudi", "rudolf"),         // de
    ("ruedi", "rudolf"),        // de
    ("russ", "russell"),        // en
    ("ruud", "rudolf"),         // nl
    ("sander", "alexander"),    // nl
    ("sanne", "susanne"),       // nl
    ("schorsch", "georg"),      // de
    ("sepp", "josef"),          // de
    ("seppl", "josef"),         // de
    ("sid", "sidney"),          // en
    ("sisi", "elisabeth"),      // de
    ("sissi", "elisabeth"),     // de
    ("sjef", "jozef"),          // nl
    ("stan", "stanley"),        // en
    ("steffi", "stefanie"),     // de
    ("stu", "stuart"),          // en
    ("sue", "susan"),           // en
    ("susi", "susanne"),        // de
    ("susie", "susan"),         // en
    ("suus", "susanne"),        // nl
    ("suzy", "susan"),          // en
    ("ted", "edward"),          // en
    ("teddy", "edward"),        // en
    ("tess", "theresa"),        // en
    ("teun", "anton"),          // nl
    ("thijs", "matthijs"),      // nl
    ("thos", "thomas"),         // en
    ("tijs", "matthijs"),       // nl
    ("tim", "timothy"),         // en
    ("timmy", "timothy"),       // en
    ("tobi", "tobias"),         // de
    ("tom", "thomas"),          // en
    ("tommy", "thomas"),        // en
    ("ton", "anton"),           // nl
    ("toni", "anton"),          // de
    ("tony", "anthony"),        // en
    ("toon", "anton"),          // nl
    ("tori", "victoria"),       // en
    ("tricia", "patricia"),     // en
    ("trish", "patricia"),      // en
    ("trudi", "gertrud"),       // de
    ("trudy", "gertrude"),      // en
    ("trui", "geertruida"),     // nl
    ("truus", "geertruida"),    // nl
    ("uschi", "ursula"),        // de
    ("vic", "victor"),          // en
    ("vicki", "victoria"),      // en
    ("vicky", "victoria"),      // en
    ("vince", "vincent"),       // en
    ("vreni", "verena"),        // de
    ("vroni", "veronika"),      // de
    ("wally", "walter"),        // en
    ("walt", "walter"),         // en
    ("wastl", "sebastian"),     // de
    ("wilhelmus", "willem"),    // nl
    ("will", "william"),        // en
    ("willi", "wilhelm"),       // de
    ("willie", "william"),      // en
    ("wim", "willem"),          // nl
    ("wm", "william"),          // en
    ("wolle", "wolfgang"),      // de
    ("wout", "wouter"),         // nl
    ("zach", "zachary"),        // en
    ("zack", "zachary"),        // en
];

/// Titles, salutations and post-nominals, compressed (lower case, no dots or hyphens), removed
/// from names anywhere. `jun`/`sen` are handled separately: only with a dot (`jun.`), since
/// Jun is also a given name.
pub(crate) const TITLES: &[&str] = &[
    "bsc",
    "dhr",
    "dipl",
    "diplbetrw",
    "diplinf",
    "diplinform",
    "dipling",
    "diplkff",
    "diplkfm",
    "diplpsych",
    "diplvolksw",
    "dott",
    "dphil",
    "dr",
    "drhc",
    "dring",
    "drjur",
    "drmed",
    "drmeddent",
    "drmedvet",
    "drphil",
    "drrernat",
    "drs",
    "ds",
    "esq",
    "fam",
    "familie",
    "fr",
    "fraeulein",
    "frau",
    "frl",
    "heer",
    "heren",
    "herr",
    "hr",
    "ii",
    "iii",
    "ing",
    "ir",
    "iv",
    "jhr",
    "jkvr",
    "jr",
    "llb",
    "llm",
    "madame",
    "mag",
    "mba",
    "mej",
    "meneer",
    "mevr",
    "mevrouw",
    "mijnheer",
    "miss",
    "mlle",
    "mme",
    "mphil",
    "mr",
    "mrs",
    "ms",
    "msc",
    "mw",
    "phd",
    "prof",
    "profdr",
    "rev",
    "revd",
    "sir",
    "sr",
];

/// Words that qualify a preceding title and go with it: `Dr. med.`, `Dr. rer. nat.`,
/// `Prof. em.`, `Dr. h.c. mult.`, `Dr.-Ing. habil.`.
pub(crate) const TITLE_MODIFIERS: &[&str] = &[
    "dent", "em", "emer", "habil", "hc", "ing", "iur", "jur", "med", "meddent", "medvet", "mult",
    "nat", "oec", "paed", "phil", "pol", "rer", "rernat", "sc", "techn", "theol", "vet",
];

/// Legal forms of companies (after [`normalize_text`](super::normalize_text), so `e.V.` is `ev`,
/// `B.V.` is `bv`, `UG (haftungsbeschränkt)` is `ug haftungsbeschraenkt`); stripped from the
/// ends of a company name.
pub(crate) const LEGAL_FORMS: &[&str] = &[
    "ab",
    "ag",
    "aps",
    "as",
    "asa",
    "bv",
    "bvba",
    "co",
    "company",
    "corp",
    "corporation",
    "cv",
    "eg",
    "ek",
    "ev",
    "gbr",
    "ggmbh",
    "gmbh",
    "haftungsbeschraenkt",
    "inc",
    "incorporated",
    "kft",
    "kg",
    "kgaa",
    "limited",
    "llc",
    "llp",
    "lp",
    "ltd",
    "mbb",
    "mbh",
    "nv",
    "ohg",
    "oy",
    "oyj",
    "partg",
    "plc",
    "pty",
    "sa",
    "sarl",
    "sas",
    "se",
    "sl",
    "slu",
    "spa",
    "sprl",
    "srl",
    "sro",
    "ug",
    "vof",
    "vzw",
];

/// Consumer e-mail providers: an address there says nothing about an employer, and many
/// unrelated people share the domain.
pub(crate) const FREE_MAIL: &[&str] = &[
    "a1.net",
    "aol.com",
    "aol.de",
    "aon.at",
    "arcor.de",
    "att.net",
    "bigpond.com",
    "bigpond.net.au",
    "bluewin.ch",
    "btinternet.com",
    "casema.nl",
    "chello.at",
    "chello.nl",
    "comcast.net",
    "email.de",
    "free.fr",
    "freenet.de",
    "gmail.com",
    "gmx.at",
    "gmx.ch",
    "gmx.com",
    "gmx.de",
    "gmx.net",
    "googlemail.com",
    "hetnet.nl",
    "hispeed.ch",
    "home.nl",
    "hotmail.be",
    "hotmail.co.uk",
    "hotmail.com",
    "hotmail.de",
    "hotmail.fr",
    "hotmail.nl",
    "icloud.com",
    "kabelmail.de",
    "kpnmail.nl",
    "kpnplanet.nl",
    "libero.it",
    "live.be",
    "live.co.uk",
    "live.com",
    "live.de",
    "live.nl",
    "mac.com",
    "mail.com",
    "mail.de",
    "mail.ru",
    "mailbox.org",
    "me.com",
    "msn.com",
    "online.de",
    "optusnet.com.au",
    "orange.fr",
    "outlook.at",
    "outlook.be",
    "outlook.com",
    "outlook.de",
    "outlook.fr",
    "outlook.nl",
    "planet.nl",
    "pm.me",
    "posteo.at",
    "posteo.de",
    "posteo.net",
    "proton.me",
    "protonmail.ch",
    "protonmail.com",
    "quicknet.nl",
    "sky.com",
    "skynet.be",
    "sunrise.ch",
    "t-online.de",
    "telenet.be",
    "tuta.io",
    "tutanota.com",
    "tutanota.de",
    "upcmail.nl",
    "verizon.net",
    "versatel.nl",
    "virgilio.it",
    "virginmedia.com",
    "vodafonemail.de",
    "wanadoo.fr",
    "web.de",
    "xs4all.nl",
    "yahoo.co.uk",
    "yahoo.com",
    "yahoo.de",
    "yahoo.fr",
    "yahoo.nl",
    "yandex.com",
    "yandex.ru",
    "ymail.com",
    "ziggo.nl",
    "zonnet.nl",
];

/// Public suffixes of two labels under which domains are registered (`example.co.uk`). This
/// is a small excerpt of the Public Suffix List covering the countries this project meets;
/// other multi-label suffixes are treated as if the registrable domain were the last two
/// labels.
pub(crate) const SECOND_LEVEL_SUFFIXES: &[&str] = &[
    "ac.at",
    "ac.be",
    "ac.jp",
    "ac.nz",
    "ac.uk",
    "ac.za",
    "asn.au",
    "co.at",
    "co.id",
    "co.il",
    "co.in",
    "co.jp",
    "co.kr",
    "co.nz",
    "co.th",
    "co.uk",
    "co.za",
    "com.ar",
    "com.au",
    "com.br",
    "com.cn",
    "com.hk",
    "com.mx",
    "com.my",
    "com.pl",
    "com.sg",
    "com.tr",
    "com.tw",
    "com.ua",
    "edu.au",
    "gov.au",
    "gov.uk",
    "govt.nz",
    "gv.at",
    "id.au",
    "ltd.uk",
    "me.uk",
    "ne.jp",
    "net.au",
    "net.br",
    "net.nz",
    "nhs.uk",
    "or.at",
    "or.jp",
    "org.au",
    "org.br",
    "org.nz",
    "org.uk",
    "org.za",
    "plc.uk",
    "police.uk",
    "sch.uk",
];

/// City names in other languages (and common umlaut-less spellings) → one form, usually the
/// local name in matching-key form. Keys are whole normalised city strings.
pub(crate) const CITY_EXONYMS: &[(&str, &str)] = &[
    ("aix la chapelle", "aachen"),
    ("aken", "aachen"),
    ("antwerp", "antwerpen"),
    ("anvers", "antwerpen"),
    ("bale", "basel"),
    ("basle", "basel"),
    ("berne", "bern"),
    ("bruegge", "brugge"),
    ("bruessel", "brussel"),
    ("bruges", "brugge"),
    ("brussels", "brussel"),
    ("bruxelles", "brussel"),
    ("cologne", "koeln"),
    ("copenhagen", "kobenhavn"),
    ("den bosch", "s hertogenbosch"),
    ("dusseldorf", "duesseldorf"),
    ("florence", "firenze"),
    ("florenz", "firenze"),
    ("frankfurt a m", "frankfurt am main"),
    ("frankfurt am", "frankfurt am main"),
    ("frankfurt main", "frankfurt am main"),
    ("gand", "gent"),
    ("geneva", "geneve"),
    ("genf", "geneve"),
    ("genoa", "genova"),
    ("genua", "genova"),
    ("ghent", "gent"),
    ("goteborg", "goeteborg"),
    ("gothenburg", "goeteborg"),
    ("gravenhage", "den haag"),
    ("hanover", "hannover"),
    ("hertogenbosch", "s hertogenbosch"),
    ("keulen", "koeln"),
    ("koebenhavn", "kobenhavn"),
    ("koln", "koeln"),
    ("kopenhagen", "kobenhavn"),
    ("la haye", "den haag"),
    ("lisbon", "lisboa"),
    ("lissabon", "lisboa"),
    ("loewen", "leuven"),
    ("londen", "london"),
    ("londres", "london"),
    ("louvain", "leuven"),
    ("lucerne", "luzern"),
    ("luettich", "liege"),
    ("luik", "liege"),
    ("luxemburg", "luxembourg"),
    ("mailand", "milano"),
    ("malines", "mechelen"),
    ("milaan", "milano"),
    ("milan", "milano"),
    ("moscow", "moskva"),
    ("moskau", "moskva"),
    ("moskou", "moskva"),
    ("munchen", "muenchen"),
    ("munich", "muenchen"),
    ("naples", "napoli"),
    ("neapel", "napoli"),
    ("neurenberg", "nuernberg"),
    ("new york city", "new york"),
    ("nuremberg", "nuernberg"),
    ("nurnberg", "nuernberg"),
    ("nyc", "new york"),
    ("parijs", "paris"),
    ("prag", "praha"),
    ("prague", "praha"),
    ("rijsel", "lille"),
    ("rom", "roma"),
    ("rome", "roma"),
    ("s gravenhage", "den haag"),
    ("straatsburg", "strasbourg"),
    ("strassburg", "strasbourg"),
    ("the hague", "den haag"),
    ("turijn", "torino"),
    ("turin", "torino"),
    ("venedig", "venezia"),
    ("venetie", "venezia"),
    ("venice", "venezia"),
    ("vienna", "wien"),
    ("warsaw", "warszawa"),
    ("warschau", "warszawa"),
    ("wenen", "wien"),
    ("zurich", "zuerich"),
];

/// Country names and codes that trail a city in free-text locations ("Utrecht NL").
pub(crate) const COUNTRY_WORDS: &[&str] = &[
    "at",
    "austria",
    "be",
    "belgie",
    "belgien",
    "belgique",
    "belgium",
    "brd",
    "ch",
    "de",
    "deutschland",
    "duitsland",
    "england",
    "fr",
    "france",
    "frankreich",
    "frankrijk",
    "gb",
    "germany",
    "holland",
    "lu",
    "nederland",
    "netherlands",
    "nl",
    "nrw",
    "oesterreich",
    "osterreich",
    "schweiz",
    "scotland",
    "suisse",
    "svizzera",
    "switzerland",
    "uk",
    "us",
    "usa",
    "wales",
];

/// Words that lead a free-text location without being part of the city ("near Köln",
/// "Raum Stuttgart", "omgeving Utrecht").
pub(crate) const CITY_QUALIFIERS: &[&str] = &[
    "around",
    "bei",
    "bij",
    "greater",
    "grossraum",
    "in",
    "metropolregion",
    "naehe",
    "nahe",
    "near",
    "nearby",
    "omgeving",
    "raum",
    "regio",
    "region",
    "rund",
    "um",
];

/// How a name particle behaves; see [`particle_kind`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ParticleKind {
    /// A particle wherever a name word follows: `van`, `de`, `von`, `zu`, `la`, ...
    Always,
    /// A particle only when another particle follows: `in 't Veld`, `op de Beek`,
    /// `aan de Stegge`, `auf der Maur`. Alone, `in`/`op` are not particles.
    BeforeParticle,
    /// A particle only after another particle: `van het Hof`, `von dem Busche`.
    AfterParticle,
    /// `und`, only inside `von und zu`.
    Und,
}

/// Name particles (tussenvoegsels, Adelsprädikate, Romance particles), in matching-key form.
/// `'t` and `'s` (Dutch, from `het` and `des`) keep their apostrophe.
///
/// `mac`/`mc`/`o'` are not particles: they are part of the surname (MacDonald).
pub(crate) fn particle_kind(word: &str) -> Option<ParticleKind> {
    use ParticleKind::*;
    // the longest particle has 6 bytes; most words are longer
    if word.len() > 6 {
        return None;
    }
    Some(match word {
        "van" | "de" | "der" | "den" | "ter" | "ten" | "te" | "'t" | "'s" | "von" | "vom"
        | "zu" | "zum" | "zur" | "am" | "la" | "le" | "du" | "da" | "dos" | "das" | "do" | "di"
        | "del" | "della" | "dei" | "degli" | "des" | "vander" => Always,
        "in" | "op" | "aan" | "uit" | "over" | "bij" | "auf" => BeforeParticle,
        "het" | "dem" => AfterParticle,
        "und" => Und,
        _ => return None,
    })
}

/// Month names and abbreviations in English, German (incl. Austrian `Jänner`, `Feber`) and
/// Dutch, in matching-key form (`März` → `maerz`), without a trailing dot.
pub(crate) fn month_number(word: &str) -> Option<u8> {
    Some(match word {
        "january" | "januar" | "januari" | "jan" | "jaenner" | "jaen" | "janner" => 1,
        "february" | "februar" | "februari" | "feb" | "feber" | "febr" => 2,
        "march" | "maerz" | "marz" | "maart" | "mar" | "maer" | "mrz" | "mrt" => 3,
        "april" | "apr" => 4,
        "may" | "mai" | "mei" => 5,
        "june" | "juni" | "jun" => 6,
        "july" | "juli" | "jul" => 7,
        "august" | "augustus" | "aug" => 8,
        "september" | "sep" | "sept" => 9,
        "october" | "oktober" | "oct" | "okt" => 10,
        "november" | "nov" => 11,
        "december" | "dezember" | "dec" | "dez" => 12,
        _ => return None,
    })
}

/// Words a written date may carry besides day, month and year: weekdays (en/de/nl, full and
/// abbreviated) and fillers ("den 14. März", "the 14th of March", "op 14 maart").
pub(crate) fn is_date_filler(word: &str) -> bool {
    matches!(
        word,
        "monday"
            | "tuesday"
            | "wednesday"
            | "thursday"
            | "friday"
            | "saturday"
            | "sunday"
            | "mon"
            | "tue"
            | "tues"
            | "wed"
            | "thu"
            | "thur"
            | "thurs"
            | "fri"
            | "sat"
            | "sun"
            | "montag"
            | "dienstag"
            | "mittwoch"
            | "donnerstag"
            | "freitag"
            | "samstag"
            | "sonnabend"
            | "sonntag"
            | "mo"
            | "di"
            | "mi"
            | "do"
            | "fr"
            | "sa"
            | "so"
            | "maandag"
            | "dinsdag"
            | "woensdag"
            | "donderdag"
            | "vrijdag"
            | "zaterdag"
            | "zondag"
            | "ma"
            | "wo"
            | "vr"
            | "za"
            | "zo"
            | "den"
            | "der"
            | "dem"
            | "the"
            | "of"
            | "am"
            | "on"
            | "op"
            | "de"
    )
}

/// Telephone numbering facts for one country.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PhoneCountry {
    /// ISO 3166-1 alpha-2 code.
    pub iso: &'static str,
    /// Country calling code, digits only.
    pub cc: &'static str,
    /// National trunk prefix dialled before the national number (`0` in most of Europe,
    /// `1` in the NANP); empty where there is none (the leading `0` of Italian numbers is
    /// part of the number, not a trunk prefix).
    pub trunk: &'static str,
    /// Shortest and longest national significant number (without trunk prefix), generous
    /// on purpose: the check is there to reject garbage, not to validate number plans.
    pub nsn: (u8, u8),
}

/// The countries whose national numbers can be canonicalised. Lengths after the ITU-T
/// national numbering plans, widened to cover service numbers.
pub(crate) const PHONE_COUNTRIES: &[PhoneCountry] = &[
    PhoneCountry {
        iso: "AT",
        cc: "43",
        trunk: "0",
        nsn: (4, 13),
    },
    PhoneCountry {
        iso: "AU",
        cc: "61",
        trunk: "0",
        nsn: (6, 10),
    },
    PhoneCountry {
        iso: "BE",
        cc: "32",
        trunk: "0",
        nsn: (8, 9),
    },
    PhoneCountry {
        iso: "CA",
        cc: "1",
        trunk: "1",
        nsn: (10, 10),
    },
    PhoneCountry {
        iso: "CH",
        cc: "41",
        trunk: "0",
        nsn: (9, 9),
    },
    PhoneCountry {
        iso: "CZ",
        cc: "420",
        trunk: "",
        nsn: (9, 9),
    },
    PhoneCountry {
        iso: "DE",
        cc: "49",
        trunk: "0",
        nsn: (5, 13),
    },
    PhoneCountry {
        iso: "DK",
        cc: "45",
        trunk: "",
        nsn: (8, 8),
    },
    PhoneCountry {
        iso: "ES",
        cc: "34",
        trunk: "",
        nsn: (9, 9),
    },
    PhoneCountry {
        iso: "FI",
        cc: "358",
        trunk: "0",
        nsn: (5, 12),
    },
    PhoneCountry {
        iso: "FR",
        cc: "33",
        trunk: "0",
        nsn: (9, 9),
    },
    PhoneCountry {
        iso: "GB",
        cc: "44",
        trunk: "0",
        nsn: (7, 10),
    },
    PhoneCountry {
        iso: "IE",
        cc: "353",
        trunk: "0",
        nsn: (7, 10),
    },
    PhoneCountry {
        iso: "IT",
        cc: "39",
        trunk: "",
        nsn: (6, 11),
    },
    PhoneCountry {
        iso: "LU",
        cc: "352",
        trunk: "",
        nsn: (4, 11),
    },
    PhoneCountry {
        iso: "NL",
        cc: "31",
        trunk: "0",
        nsn: (7, 10),
    },
    PhoneCountry {
        iso: "NO",
        cc: "47",
        trunk: "",
        nsn: (5, 8),
    },
    PhoneCountry {
        iso: "PL",
        cc: "48",
        trunk: "",
        nsn: (9, 9),
    },
    PhoneCountry {
        iso: "PT",
        cc: "351",
        trunk: "",
        nsn: (9, 9),
    },
    PhoneCountry {
        iso: "SE",
        cc: "46",
        trunk: "0",
        nsn: (7, 13),
    },
    PhoneCountry {
        iso: "US",
        cc: "1",
        trunk: "1",
        nsn: (10, 10),
    },
];

/// The country of an ISO alpha-2 code (ASCII case-insensitive; `UK` is accepted for `GB`).
pub(crate) fn phone_country_by_iso(iso: &str) -> Option<&'static PhoneCountry> {
    let iso = iso.trim();
    let iso = if iso.eq_ignore_ascii_case("uk") {
        "GB"
    } else {
        iso
    };
    PHONE_COUNTRIES
        .iter()
        .find(|c| c.iso.eq_ignore_ascii_case(iso))
}

/// The table entry for a calling code. `1` gives the US entry; US and Canada share the plan.
pub(crate) fn phone_country_by_cc(cc: &str) -> Option<&'static PhoneCountry> {
    PHONE_COUNTRIES.iter().find(|c| c.cc == cc)
}

/// The longest key of [`NICKNAMES`]; longer words need no look-up.
pub(crate) const MAX_NICKNAME_LEN: usize = 9;

/// Looks `key` up in a sorted list of pairs.
///
/// The comparison is a byte loop rather than `str::cmp`: for keys of a few bytes a call
/// to `memcmp` per probe costs more than the whole comparison (measured: a third of the
/// time of a one-word name).
pub(crate) fn lookup<'t>(table: &'t [(&'static str, &'static str)], key: &str) -> Option<&'t str> {
    table
        .binary_search_by(|(k, _)| k.bytes().cmp(key.bytes()))
        .ok()
        .map(|i| table[i].1)
}

/// Whether `key` is in a sorted list (byte-loop comparison, see [`lookup`]).
pub(crate) fn contains(list: &[&str], key: &str) -> bool {
    list.binary_search_by(|k| k.bytes().cmp(key.bytes()))
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_sorted_unique(name: &str, keys: &[&str]) {
        for w in keys.windows(2) {
            assert!(
                w[0] < w[1],
                "{name}: {:?} must come before {:?}",
                w[1],
                w[0]
            );
        }
    }

    #[test]
    fn lists_are_sorted_and_unique() {
        let keys: Vec<&str> = NICKNAMES.iter().map(|p| p.0).collect();
        assert_sorted_unique("NICKNAMES", &keys);
        let keys: Vec<&str> = CITY_EXONYMS.iter().map(|p| p.0).collect();
        assert_sorted_unique("CITY_EXONYMS", &keys);
        assert_sorted_unique("TITLES", TITLES);
        assert_sorted_unique("TITLE_MODIFIERS", TITLE_MODIFIERS);
        assert_sorted_unique("LEGAL_FORMS", LEGAL_FORMS);
        assert_sorted_unique("FREE_MAIL", FREE_MAIL);
        assert_sorted_unique("SECOND_LEVEL_SUFFIXES", SECOND_LEVEL_SUFFIXES);
        assert_sorted_unique("COUNTRY_WORDS", COUNTRY_WORDS);
        assert_sorted_unique("CITY_QUALIFIERS", CITY_QUALIFIERS);
    }

    #[test]
    fn mappings_are_idempotent() {
        for (k, v) in NICKNAMES {
            assert_ne!(k, v);
            assert!(
                lookup(NICKNAMES, v).is_none(),
                "{v} is both a canonical form and a key"
            );
            assert!(
                k.bytes().chain(v.bytes()).all(|b| b.is_ascii_lowercase()),
                "{k}"
            );
        }
        for (k, v) in CITY_EXONYMS {
            assert!(
                lookup(CITY_EXONYMS, v).is_none(),
                "{v} is both a canonical form and a key"
            );
            assert!(
                k.bytes().all(|b| b.is_ascii_lowercase() || b == b' '),
                "{k}"
            );
        }
    }

    #[test]
    fn table_sizes() {
        assert!(NICKNAMES.len() >= 150, "{}", NICKNAMES.len());
        assert_eq!(
            NICKNAMES.iter().map(|p| p.0.len()).max(),
            Some(MAX_NICKNAME_LEN)
        );
        assert!(TITLES.iter().all(|t| t.len() <= 10));
        assert_eq!(PHONE_COUNTRIES.len(), 21);
        assert_eq!(phone_country_by_iso("uk").map(|c| c.cc), Some("44"));
        assert_eq!(phone_country_by_iso("nl").map(|c| c.cc), Some("31"));
        assert_eq!(phone_country_by_cc("1").map(|c| c.iso), Some("CA"));
    }
}
