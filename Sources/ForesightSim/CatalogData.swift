/// The fixed tables the catalog is built from: categories, their brands and prices, and which
/// category tends to be bought after which.
enum CatalogData {
    struct CategorySpec {
        let name: String
        /// Relative popularity when a customer browses outside their interests.
        let popularity: Double
        /// Price range in whole currency units.
        let minPrice: Int
        let maxPrice: Int
        let brands: [String]
        /// What a customer types into search for this category.
        let queries: [String]
    }

    static let categories: [CategorySpec] = [
        CategorySpec(name: "hiking-boots", popularity: 6, minPrice: 79, maxPrice: 249,
                     brands: ["Alpina", "Trailforge", "Salewa", "Norrland"], queries: ["hiking boots", "waterproof boots"]),
        CategorySpec(name: "hiking-socks", popularity: 3, minPrice: 9, maxPrice: 29,
                     brands: ["Alpina", "Woolwise", "Norrland"], queries: ["merino socks", "hiking socks"]),
        CategorySpec(name: "tents", popularity: 4, minPrice: 99, maxPrice: 599,
                     brands: ["Fjellstad", "Basecamp", "Trailforge"], queries: ["2 person tent", "ultralight tent"]),
        CategorySpec(name: "sleeping-bags", popularity: 3, minPrice: 59, maxPrice: 349,
                     brands: ["Fjellstad", "Basecamp", "Duvet&Co"], queries: ["sleeping bag", "down sleeping bag"]),
        CategorySpec(name: "camping-stoves", popularity: 2, minPrice: 29, maxPrice: 179,
                     brands: ["Basecamp", "Flamme", "Trailforge"], queries: ["camping stove", "gas cartridge"]),
        CategorySpec(name: "backpacks", popularity: 5, minPrice: 39, maxPrice: 289,
                     brands: ["Norrland", "Trailforge", "Packwell", "Alpina"], queries: ["backpack 40l", "daypack"]),
        CategorySpec(name: "water-bottles", popularity: 3, minPrice: 12, maxPrice: 45,
                     brands: ["Hydra", "Packwell", "Klar"], queries: ["water bottle", "insulated bottle"]),
        CategorySpec(name: "cameras", popularity: 4, minPrice: 399, maxPrice: 2499,
                     brands: ["Lumix", "Optika", "Kamera Werk"], queries: ["mirrorless camera", "camera"]),
        CategorySpec(name: "memory-cards", popularity: 2, minPrice: 14, maxPrice: 89,
                     brands: ["Sandisc", "Kingstone", "Optika"], queries: ["sd card", "memory card 128gb"]),
        CategorySpec(name: "camera-bags", popularity: 1.5, minPrice: 35, maxPrice: 199,
                     brands: ["Packwell", "Optika", "Lowline"], queries: ["camera bag", "camera backpack"]),
        CategorySpec(name: "laptops", popularity: 5, minPrice: 549, maxPrice: 2899,
                     brands: ["Novabook", "Zentek", "Aero"], queries: ["laptop", "ultrabook 14"]),
        CategorySpec(name: "laptop-sleeves", popularity: 2, minPrice: 19, maxPrice: 69,
                     brands: ["Packwell", "Lowline", "Zentek"], queries: ["laptop sleeve", "laptop case"]),
        CategorySpec(name: "smartphones", popularity: 7, minPrice: 199, maxPrice: 1399,
                     brands: ["Zentek", "Pixelon", "Nokka"], queries: ["smartphone", "phone 5g"]),
        CategorySpec(name: "phone-cases", popularity: 4, minPrice: 9, maxPrice: 49,
                     brands: ["Shellguard", "Lowline", "Pixelon"], queries: ["phone case", "screen protector"]),
        CategorySpec(name: "headphones", popularity: 6, minPrice: 29, maxPrice: 449,
                     brands: ["Sonore", "Klangwerk", "Zentek"], queries: ["noise cancelling headphones", "earbuds"]),
        CategorySpec(name: "running-shoes", popularity: 6, minPrice: 69, maxPrice: 219,
                     brands: ["Stride", "Velox", "Trailforge"], queries: ["running shoes", "trail running shoes"]),
        CategorySpec(name: "running-apparel", popularity: 4, minPrice: 19, maxPrice: 129,
                     brands: ["Stride", "Velox", "Woolwise"], queries: ["running shirt", "running tights"]),
        CategorySpec(name: "coffee-makers", popularity: 3, minPrice: 49, maxPrice: 899,
                     brands: ["Brühmeister", "Crema", "Moka&Co"], queries: ["espresso machine", "coffee grinder"]),
        CategorySpec(name: "coffee-beans", popularity: 4, minPrice: 8, maxPrice: 39,
                     brands: ["Crema", "Finca Alta", "Röstwerk"], queries: ["coffee beans", "espresso beans"]),
        CategorySpec(name: "yoga-mats", popularity: 3, minPrice: 19, maxPrice: 129,
                     brands: ["Lotus", "Asana", "Stride"], queries: ["yoga mat", "non slip mat"]),
        CategorySpec(name: "yoga-blocks", popularity: 1.5, minPrice: 9, maxPrice: 39,
                     brands: ["Lotus", "Asana"], queries: ["yoga block", "yoga strap"]),
        CategorySpec(name: "bikes", popularity: 3, minPrice: 399, maxPrice: 3999,
                     brands: ["Velocita", "Rahmenbau", "Urbano"], queries: ["gravel bike", "e-bike"]),
        CategorySpec(name: "bike-helmets", popularity: 2, minPrice: 39, maxPrice: 249,
                     brands: ["Velocita", "Kask&Co", "Urbano"], queries: ["bike helmet", "mips helmet"]),
        CategorySpec(name: "books", popularity: 5, minPrice: 9, maxPrice: 49,
                     brands: ["Penwright", "Atlas Press", "Leserei"], queries: ["trail guide", "cookbook"]),
        CategorySpec(name: "board-games", popularity: 3, minPrice: 19, maxPrice: 89,
                     brands: ["Meeple House", "Spielzeit", "Atlas Press"], queries: ["board game", "strategy game"]),
    ]

    /// Sequential co-purchase affinities: after buying the first category, a customer later buys
    /// the second with the given weight (weights of one source add up to at most 1).
    static let affinities: [(from: String, to: String, weight: Double)] = [
        ("hiking-boots", "hiking-socks", 0.8),
        ("hiking-boots", "backpacks", 0.2),
        ("tents", "sleeping-bags", 0.75),
        ("tents", "camping-stoves", 0.25),
        ("sleeping-bags", "camping-stoves", 0.6),
        ("backpacks", "water-bottles", 0.7),
        ("cameras", "memory-cards", 0.65),
        ("cameras", "camera-bags", 0.35),
        ("laptops", "laptop-sleeves", 0.8),
        ("smartphones", "phone-cases", 0.85),
        ("running-shoes", "running-apparel", 0.8),
        ("coffee-makers", "coffee-beans", 0.9),
        ("coffee-beans", "coffee-beans", 0.7),
        ("yoga-mats", "yoga-blocks", 0.75),
        ("bikes", "bike-helmets", 0.8),
        ("books", "books", 0.4),
        ("headphones", "smartphones", 0.2),
    ]

    /// Products per category.
    static let productsPerCategory = 12
}
