//! Everything else a record is made of: e-mail providers, mobile prefixes, company words,
//! job titles, hobbies, handle words and emoji, per country or language.
//!
//! `(value, weight)` pairs carry rough market shares; weights are integers so that drawing
//! from them is exact integer arithmetic (see [`super::rng`]).

/// Free-mail providers with rough market shares.
pub(crate) const DE_FREEMAIL: &[(&str, u32)] = &[
    ("gmx.de", 18),
    ("web.de", 18),
    ("gmail.com", 22),
    ("t-online.de", 12),
    ("gmx.net", 5),
    ("outlook.de", 4),
    ("hotmail.de", 4),
    ("yahoo.de", 4),
    ("freenet.de", 3),
    ("icloud.com", 4),
    ("posteo.de", 2),
    ("googlemail.com", 4),
];
pub(crate) const NL_FREEMAIL: &[(&str, u32)] = &[
    ("gmail.com", 35),
    ("hotmail.com", 16),
    ("ziggo.nl", 10),
    ("kpnmail.nl", 6),
    ("outlook.com", 8),
    ("live.nl", 6),
    ("hotmail.nl", 5),
    ("planet.nl", 3),
    ("home.nl", 2),
    ("xs4all.nl", 2),
    ("icloud.com", 4),
    ("upcmail.nl", 2),
    ("outlook.nl", 1),
];
pub(crate) const GB_FREEMAIL: &[(&str, u32)] = &[
    ("gmail.com", 35),
    ("hotmail.co.uk", 14),
    ("yahoo.co.uk", 10),
    ("outlook.com", 10),
    ("btinternet.com", 8),
    ("sky.com", 5),
    ("live.co.uk", 4),
    ("icloud.com", 6),
    ("aol.com", 3),
    ("virginmedia.com", 3),
    ("talktalk.net", 2),
];
pub(crate) const US_FREEMAIL: &[(&str, u32)] = &[
    ("gmail.com", 45),
    ("yahoo.com", 15),
    ("hotmail.com", 8),
    ("outlook.com", 8),
    ("aol.com", 6),
    ("icloud.com", 10),
    ("comcast.net", 5),
    ("att.net", 3),
];

/// German mobile prefixes without the trunk 0 (the `15x`, `16x`, `17x` ranges).
pub(crate) const DE_MOBILE: &[&str] = &[
    "151", "152", "157", "159", "160", "162", "163", "170", "171", "172", "173", "174", "175",
    "176", "177", "178", "179",
];

/// Company name parts: industries (by language) and made-up brand words.
pub(crate) const DE_INDUSTRY: &[&str] = &[
    "Logistik",
    "Bau",
    "Elektrotechnik",
    "Immobilien",
    "Consulting",
    "Software",
    "Medizintechnik",
    "Maschinenbau",
    "Steuerberatung",
    "Versicherungsmakler",
    "Gebäudereinigung",
    "Sanitär",
    "Druck",
    "Autohaus",
    "Bäckerei",
    "Metallbau",
    "Werbeagentur",
    "Reisen",
    "Personalservice",
    "Handel",
];
pub(crate) const DE_BRAND: &[&str] = &[
    "Nordlicht",
    "Alpina",
    "Westfalia",
    "Rheinwerk",
    "Elbtal",
    "Hansa",
    "Spreewerk",
    "Isartal",
    "Sonnenschein",
    "Lindenhof",
];
pub(crate) const DE_FORMS: &[(&str, u32)] = &[
    ("GmbH", 60),
    ("GmbH & Co. KG", 15),
    ("AG", 6),
    ("e.K.", 6),
    ("UG (haftungsbeschränkt)", 6),
    ("KG", 4),
    ("OHG", 3),
];
pub(crate) const NL_INDUSTRY: &[&str] = &[
    "Transport",
    "Bouw",
    "Installatietechniek",
    "Advies",
    "Makelaardij",
    "Accountants",
    "ICT",
    "Schilderwerken",
    "Groenvoorziening",
    "Logistiek",
    "Zorg",
    "Media",
    "Techniek",
    "Vastgoed",
    "Bloemen",
    "Kaashandel",
    "Fietsen",
    "Uitzendbureau",
    "Webdesign",
    "Catering",
];
pub(crate) const NL_BRAND: &[&str] = &[
    "Oranje",
    "Polderzicht",
    "Tulpenhof",
    "Noorderlicht",
    "Dijkzicht",
    "Zeeland",
    "Hollandia",
    "Molenwiek",
    "Waterland",
    "Duinrand",
];
pub(crate) const NL_FORMS: &[(&str, u32)] = &[("B.V.", 70), ("V.O.F.", 12), ("N.V.", 4), ("", 14)];
pub(crate) const EN_INDUSTRY: &[&str] = &[
    "Consulting",
    "Logistics",
    "Construction",
    "Property",
    "Accountants",
    "Engineering",
    "Digital",
    "Media",
    "Recruitment",
    "Plumbing & Heating",
    "Electrical",
    "Design",
    "Catering",
    "Motors",
    "Healthcare",
    "Financial Services",
    "Landscapes",
    "Joinery",
    "Print",
    "Software",
];
pub(crate) const GB_BRAND: &[&str] = &[
    "Albion",
    "Northern",
    "Thames",
    "Pennine",
    "Crown",
    "Highland",
    "Brightwater",
    "Oakwood",
    "Redbrick",
    "Kingfisher",
];
pub(crate) const GB_FORMS: &[(&str, u32)] = &[
    ("Ltd", 70),
    ("Limited", 10),
    ("PLC", 4),
    ("LLP", 6),
    ("", 10),
];
pub(crate) const US_BRAND: &[&str] = &[
    "Summit",
    "Liberty",
    "Pioneer",
    "Eagle",
    "Lakeside",
    "Golden Gate",
    "Redwood",
    "Keystone",
    "Bluebird",
    "Frontier",
];
pub(crate) const US_FORMS: &[(&str, u32)] = &[("Inc.", 45), ("LLC", 40), ("Corp.", 10), ("Co.", 5)];

/// Job titles: German ones as (male, female) pairs, since German bios gender them.
pub(crate) const DE_JOBS: &[(&str, &str)] = &[
    ("Projektleiter", "Projektleiterin"),
    ("Softwareentwickler", "Softwareentwicklerin"),
    ("Berater", "Beraterin"),
    ("Ingenieur", "Ingenieurin"),
    ("Geschäftsführer", "Geschäftsführerin"),
    ("Steuerberater", "Steuerberaterin"),
    ("Vertriebsleiter", "Vertriebsleiterin"),
    ("Architekt", "Architektin"),
    ("Einkäufer", "Einkäuferin"),
    ("Designer", "Designerin"),
    ("Marketing Manager", "Marketing Managerin"),
    ("Kaufmann", "Kauffrau"),
    ("Teamleiter", "Teamleiterin"),
    ("Inhaber", "Inhaberin"),
];
pub(crate) const NL_JOBS: &[&str] = &[
    "Projectmanager",
    "Accountmanager",
    "Software developer",
    "Adviseur",
    "Consultant",
    "Architect",
    "Inkoper",
    "Marketeer",
    "Directeur",
    "Eigenaar",
    "Teamleider",
    "Ondernemer",
    "Office manager",
    "Recruiter",
];
pub(crate) const EN_JOBS: &[&str] = &[
    "Project Manager",
    "Software Engineer",
    "Consultant",
    "Account Manager",
    "Architect",
    "Marketing Manager",
    "Director",
    "Founder",
    "Accountant",
    "Designer",
    "Sales Lead",
    "Operations Manager",
    "Recruiter",
    "Office Manager",
];

pub(crate) const DE_HOBBIES: &[&str] = &[
    "Fußball",
    "Wandern",
    "Radfahren",
    "Kochen",
    "Fotografie",
    "Laufen",
    "Lesen",
    "Reisen",
    "Yoga",
    "Gaming",
    "Musik",
    "Garten",
    "Segeln",
    "Bergsteigen",
    "Kaffee",
];
pub(crate) const NL_HOBBIES: &[&str] = &[
    "fietsen",
    "voetbal",
    "hardlopen",
    "koken",
    "fotografie",
    "reizen",
    "lezen",
    "zeilen",
    "tennis",
    "hockey",
    "muziek",
    "tuinieren",
    "schaatsen",
    "yoga",
    "koffie",
];
pub(crate) const EN_HOBBIES: &[&str] = &[
    "football",
    "running",
    "cooking",
    "photography",
    "travel",
    "reading",
    "gardening",
    "hiking",
    "cycling",
    "gin",
    "music",
    "gaming",
    "rugby",
    "tea",
    "dogs",
];

/// Words for handles unrelated to the person's name ("sunnyday_77").
pub(crate) const HANDLE_WORDS: &[&str] = &[
    "sunnyday",
    "bluefox",
    "coffeelover",
    "nightowl",
    "wanderlust",
    "moonchild",
    "pixelpirate",
    "urbanhiker",
    "happycamper",
    "bookworm",
    "starlight",
    "redpanda",
    "greenleaf",
    "stormchaser",
    "dreamer",
    "wildflower",
    "skaterboy",
    "foodie",
    "cloudwalker",
    "silverfox",
    "bergfex",
    "kaffeejunkie",
    "sonnenschein",
    "nordlicht",
    "waldfee",
    "radler",
    "tulpje",
    "fietsfan",
    "koffieleut",
    "zonnetje",
    "polderjongen",
    "zeebries",
    "teatime",
    "rainyday",
];

/// Emoji that people put into display names, per country, then universal ones.
pub(crate) const DE_EMOJI: &[&str] = &["⚽", "🍺", "🥨", "🚴‍♀️", "🏔️", "🇩🇪", "🐝"];
pub(crate) const NL_EMOJI: &[&str] = &["🚲", "🌷", "🧡", "⚽", "🇳🇱", "🧀", "⛸️"];
pub(crate) const GB_EMOJI: &[&str] = &["☕", "🏴󠁧󠁢󠁥󠁮󠁧󠁿", "🐶", "⚽", "🇬🇧", "🌧️", "🍺"];
pub(crate) const US_EMOJI: &[&str] = &["🇺🇸", "🏈", "☕", "🌵", "🗽", "🏀", "🎸"];
pub(crate) const ANY_EMOJI: &[&str] = &["✨", "🌈", "📸", "💼", "🎶", "🌍", "❤️", "🙂"];

/// Joke or vague locations that carry no evidence.
pub(crate) const VAGUE_LOCATIONS: &[&str] = &[
    "Planet Earth",
    "🌍",
    "Everywhere",
    "Somewhere",
    "Europe",
    "on the road",
    "Home",
];

/// Social platforms with rough shares of profiles, per country.
pub(crate) const DE_PLATFORMS: &[(&str, u32)] = &[
    ("instagram", 30),
    ("facebook", 25),
    ("linkedin", 13),
    ("twitter", 12),
    ("tiktok", 12),
    ("xing", 8),
];
pub(crate) const NL_PLATFORMS: &[(&str, u32)] = &[
    ("instagram", 30),
    ("facebook", 25),
    ("linkedin", 22),
    ("twitter", 13),
    ("tiktok", 10),
];
pub(crate) const EN_PLATFORMS: &[(&str, u32)] = &[
    ("instagram", 28),
    ("facebook", 27),
    ("twitter", 18),
    ("linkedin", 15),
    ("tiktok", 12),
];
