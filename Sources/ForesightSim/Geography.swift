/// Where synthetic customers live and what they are called.
///
/// Each city carries its country, IANA time zone and UTC offset, so traits stay consistent and
/// sessions happen at plausible local hours. Names are in the city's language, diacritics included,
/// to exercise UTF-8 handling.
enum Geography {
    struct City {
        let name: String
        let country: String
        let timeZone: String
        /// Offset from UTC in minutes (the autumn offset; daylight saving is not modelled).
        let offsetMinutes: Int
        let weight: Double
        let names: NameGroup
    }

    enum NameGroup: Int, CaseIterable {
        case english, german, french, spanish, italian, dutch, swedish, polish, portuguese, japanese, indian
    }

    static let cities: [City] = [
        City(name: "New York", country: "US", timeZone: "America/New_York", offsetMinutes: -240, weight: 8, names: .english),
        City(name: "Chicago", country: "US", timeZone: "America/Chicago", offsetMinutes: -300, weight: 5, names: .english),
        City(name: "Denver", country: "US", timeZone: "America/Denver", offsetMinutes: -360, weight: 3, names: .english),
        City(name: "Los Angeles", country: "US", timeZone: "America/Los_Angeles", offsetMinutes: -420, weight: 6, names: .english),
        City(name: "Seattle", country: "US", timeZone: "America/Los_Angeles", offsetMinutes: -420, weight: 3, names: .english),
        City(name: "Toronto", country: "CA", timeZone: "America/Toronto", offsetMinutes: -240, weight: 3, names: .english),
        City(name: "Montréal", country: "CA", timeZone: "America/Toronto", offsetMinutes: -240, weight: 2, names: .french),
        City(name: "Vancouver", country: "CA", timeZone: "America/Vancouver", offsetMinutes: -420, weight: 2, names: .english),
        City(name: "London", country: "GB", timeZone: "Europe/London", offsetMinutes: 60, weight: 7, names: .english),
        City(name: "Manchester", country: "GB", timeZone: "Europe/London", offsetMinutes: 60, weight: 3, names: .english),
        City(name: "Berlin", country: "DE", timeZone: "Europe/Berlin", offsetMinutes: 120, weight: 6, names: .german),
        City(name: "München", country: "DE", timeZone: "Europe/Berlin", offsetMinutes: 120, weight: 4, names: .german),
        City(name: "Hamburg", country: "DE", timeZone: "Europe/Berlin", offsetMinutes: 120, weight: 3, names: .german),
        City(name: "Köln", country: "DE", timeZone: "Europe/Berlin", offsetMinutes: 120, weight: 2, names: .german),
        City(name: "Wien", country: "AT", timeZone: "Europe/Vienna", offsetMinutes: 120, weight: 2, names: .german),
        City(name: "Zürich", country: "CH", timeZone: "Europe/Zurich", offsetMinutes: 120, weight: 2, names: .german),
        City(name: "Paris", country: "FR", timeZone: "Europe/Paris", offsetMinutes: 120, weight: 5, names: .french),
        City(name: "Lyon", country: "FR", timeZone: "Europe/Paris", offsetMinutes: 120, weight: 2, names: .french),
        City(name: "Madrid", country: "ES", timeZone: "Europe/Madrid", offsetMinutes: 120, weight: 3, names: .spanish),
        City(name: "Barcelona", country: "ES", timeZone: "Europe/Madrid", offsetMinutes: 120, weight: 3, names: .spanish),
        City(name: "Milano", country: "IT", timeZone: "Europe/Rome", offsetMinutes: 120, weight: 3, names: .italian),
        City(name: "Roma", country: "IT", timeZone: "Europe/Rome", offsetMinutes: 120, weight: 2, names: .italian),
        City(name: "Amsterdam", country: "NL", timeZone: "Europe/Amsterdam", offsetMinutes: 120, weight: 3, names: .dutch),
        City(name: "Stockholm", country: "SE", timeZone: "Europe/Stockholm", offsetMinutes: 120, weight: 2, names: .swedish),
        City(name: "Kraków", country: "PL", timeZone: "Europe/Warsaw", offsetMinutes: 120, weight: 2, names: .polish),
        City(name: "Warszawa", country: "PL", timeZone: "Europe/Warsaw", offsetMinutes: 120, weight: 2, names: .polish),
        City(name: "São Paulo", country: "BR", timeZone: "America/Sao_Paulo", offsetMinutes: -180, weight: 3, names: .portuguese),
        City(name: "Lisboa", country: "PT", timeZone: "Europe/Lisbon", offsetMinutes: 60, weight: 1, names: .portuguese),
        City(name: "Tokyo", country: "JP", timeZone: "Asia/Tokyo", offsetMinutes: 540, weight: 3, names: .japanese),
        City(name: "Sydney", country: "AU", timeZone: "Australia/Sydney", offsetMinutes: 600, weight: 3, names: .english),
        City(name: "Mumbai", country: "IN", timeZone: "Asia/Kolkata", offsetMinutes: 330, weight: 3, names: .indian),
    ]

    static let cityWeights = cumulativeWeights(cities.map(\.weight))

    static let firstNames: [[String]] = [
        ["James", "Mary", "Olivia", "Liam", "Emma", "Noah", "Ava", "Ethan", "Chloé", "Zoë"],
        ["Anna", "Lukas", "Jürgen", "Sophie", "Maximilian", "Lea", "Jonas", "Mia", "Björn", "Käthe"],
        ["Léa", "Louis", "Chloé", "Hugo", "Inès", "Gabriel", "Manon", "Jules", "Zoé", "Théo"],
        ["Lucía", "Mateo", "Sofía", "Martín", "Paula", "Hugo", "Carmen", "Álvaro", "Elena", "José"],
        ["Giulia", "Leonardo", "Sofia", "Francesco", "Aurora", "Niccolò", "Alice", "Mattia", "Chiara", "Luca"],
        ["Daan", "Emma", "Sem", "Tess", "Lucas", "Julia", "Finn", "Sanne", "Bram", "Eva"],
        ["Elsa", "Oskar", "Maja", "Hugo", "Astrid", "Lars", "Saga", "Nils", "Ebba", "Sören"],
        ["Zofia", "Jakub", "Julia", "Kacper", "Łucja", "Szymon", "Maja", "Paweł", "Hanna", "Michał"],
        ["João", "Maria", "Pedro", "Ana", "Lucas", "Beatriz", "Gonçalo", "Inês", "Rafael", "Mariana"],
        ["Haruto", "Yui", "Sōta", "Hina", "Ren", "Aoi", "Yūki", "Sakura", "Kaito", "Mei"],
        ["Aarav", "Ananya", "Vihaan", "Diya", "Arjun", "Isha", "Rohan", "Priya", "Kabir", "Saanvi"],
    ]

    static let lastNames: [[String]] = [
        ["Smith", "Johnson", "Brown", "Miller", "Davis", "Wilson", "Taylor", "O'Brien", "Clarke", "Walker"],
        ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schäfer", "Groß"],
        ["Martin", "Bernard", "Dubois", "Lefèvre", "Moreau", "Laurent", "Girard", "Bonnet", "Roux", "Fournier"],
        ["García", "Fernández", "López", "Martínez", "Sánchez", "Pérez", "Gómez", "Ruiz", "Díaz", "Muñoz"],
        ["Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco"],
        ["de Jong", "Jansen", "de Vries", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder"],
        ["Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson", "Svensson", "Öberg"],
        ["Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński", "Lewandowski", "Zieliński", "Szymański", "Woźniak"],
        ["Silva", "Santos", "Oliveira", "Souza", "Pereira", "Costa", "Rodrigues", "Almeida", "Gonçalves", "Araújo"],
        ["Satō", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Itō", "Yamamoto", "Nakamura", "Kobayashi", "Katō"],
        ["Sharma", "Patel", "Gupta", "Singh", "Kumar", "Reddy", "Iyer", "Nair", "Mehta", "Joshi"],
    ]

    static let emailDomains = ["example.com", "example.net", "example.org", "mail.example"]

    /// A lowercase ASCII form of a name for an e-mail address: diacritics dropped, spaces and
    /// apostrophes removed.
    static func asciiSlug(_ text: String) -> String {
        var out = ""
        for scalar in text.lowercased().unicodeScalars {
            switch scalar {
            case "a"..."z", "0"..."9": out.unicodeScalars.append(scalar)
            case "ä", "á", "à", "â", "ã", "å", "ā": out += "a"
            case "é", "è", "ê", "ë", "ē": out += "e"
            case "í", "ì", "î", "ï", "ī": out += "i"
            case "ö", "ó", "ò", "ô", "õ", "ø", "ō": out += "o"
            case "ü", "ú", "ù", "û", "ū": out += "u"
            case "ß": out += "ss"
            case "ç", "ć": out += "c"
            case "ñ", "ń": out += "n"
            case "ł": out += "l"
            case "ś": out += "s"
            case "ź", "ż": out += "z"
            default: break
            }
        }
        return out
    }
}
