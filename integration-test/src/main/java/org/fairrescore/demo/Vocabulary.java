package org.fairrescore.demo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The words the demo catalog is made of: product groups, their concepts and the phrases listings are built from.
 *
 * <p>Each of the eight query groups has one demo query, one concept that is an exact match for it, one that is a
 * partial match and several lexical distractors: products that share the query's words but not its meaning
 * ("shoe rack", "running socks", "descaler for coffee maker"). Exact and partial concepts come with three phrase
 * pools: keyword phrases (every query word), paraphrases (some query words: "trail running sneakers") and
 * phrases with no query word at all ("marathon racing flats"). Filler groups (garden, toys, ...) share no word
 * with any query, so they stay out of every demo query's BM25 results.
 *
 * <p>Qualifiers, features and brands never contain a query word of any group; keyword lines contain every query
 * word of their own group. {@code CatalogGeneratorTests} checks all of this with a standard-analyzer-like
 * tokenizer.
 */
final class Vocabulary {

    /** A product group: a demo query's intent, or a filler group without a query. */
    record Group(String id, String query, List<String> brands, List<Concept> concepts) {
        boolean isFiller() {
            return query == null;
        }
    }

    /**
     * A kind of product.
     *
     * @param relevance    its grade for its own group's query (filler: irrelevant)
     * @param weight       relative frequency inside its group
     * @param keyword      title cores with every query word
     * @param paraphrase   title cores with some but not all query words
     * @param noOverlap    title cores with no query word (filler concepts only use this pool)
     * @param keywordLines description sentences with every query word, used for keyword listings
     * @param glossLines   description sentences that say what the product is without any query word, leading the
     *                     descriptions of paraphrased and no-overlap listings
     * @param seo          title tails with every query word that keyword-stuffing shops append to a distractor's
     *                     title ("Coffee Maker Accessories")
     */
    record Concept(String id, String group, String category, Relevance relevance, double weight,
                   double minPrice, double maxPrice, List<String> keyword, List<String> paraphrase,
                   List<String> noOverlap, List<String> qualifiers, List<String> features,
                   List<String> keywordLines, List<String> seo, List<String> glossLines) {
    }

    private Vocabulary() {
    }

    static final List<String> COLORS = List.of("Black", "Navy", "Grey", "Olive", "Sand", "Burgundy", "White", "Teal");

    static List<Group> groups() {
        List<Group> groups = new ArrayList<>();
        groups.add(running());
        groups.add(laptopBag());
        groups.add(coffeeMaker());
        groups.add(headphones());
        groups.add(winterJacket());
        groups.add(officeChair());
        groups.add(dogBed());
        groups.add(yogaMat());
        groups.add(garden());
        groups.add(toys());
        groups.add(beauty());
        groups.add(stationery());
        groups.add(tools());
        groups.add(grocery());
        return List.copyOf(groups);
    }

    // ---------------------------------------------------------------- query groups

    private static Group running() {
        String g = "running_shoes";
        return group(g, "running shoes", List.of("Stridex", "Veloce", "Kinetix", "Paceline", "Aerofoot"),
            concept("running_shoe", g, "footwear", Relevance.EXACT, 45, 49, 189)
                .glossLines("Lightweight sneakers made for jogging and road runs.", "A cushioned trainer for runners who log daily miles.", "Race-day sneakers built for speed over any distance.")
                .keyword("Running Shoes", "Road Running Shoes", "Cushioned Running Shoes", "Neutral Running Shoes",
                    "Lightweight Running Shoes", "Trail Running Shoes")
                .paraphrase("Trail Running Sneakers", "Road Running Trainers", "Running Flats", "Jogging Shoes",
                    "Cushioned Shoes for Runners", "Marathon Racing Shoes")
                .noOverlap("Lightweight Jogging Sneakers", "Trail Sneakers for Jogging", "Marathon Racing Flats",
                    "Cushioned Road Trainers", "Breathable Mesh Trainers for Runners", "Carbon-Plate Race Day Trainers")
                .qualifiers("Men's", "Women's", "Unisex", "Wide Fit", "Breathable Mesh", "Size 36-47",
                    "Neutral Support", "Reflective")
                .features("Breathable engineered mesh upper keeps feet cool over long distances.",
                    "Responsive foam midsole returns energy with every stride.",
                    "Grippy rubber outsole for wet pavement and gravel paths.",
                    "An 8 mm heel-to-toe drop suits everyday training.",
                    "Reflective accents for early morning jogs.",
                    "Padded collar and tongue for a secure, comfortable fit.",
                    "Weighs only 240 grams per sneaker.")
                .keywordLines("Our best-selling running shoes for daily training.",
                    "Running shoes built for everything from a 5K to a marathon.",
                    "Comfortable running shoes for road and treadmill."),
            concept("training_shoe", g, "footwear", Relevance.PARTIAL, 15, 39, 129)
                .glossLines("Versatile sneakers for the gym, long walks and light trails.", "A stable trainer for workouts and everyday wear.")
                .paraphrase("Walking Shoes", "Cross Training Shoes", "Gym Shoes", "Light Hiking Shoes", "Tennis Shoes")
                .noOverlap("Cross-Training Gym Sneakers", "Everyday Walking Sneakers", "Light Hiking Trainers",
                    "Court Sneakers")
                .qualifiers("Men's", "Women's", "Unisex", "Wide Fit", "Memory Foam Insole", "Size 36-47")
                .features("Flat, stable sole for lifting and lateral moves.",
                    "Memory foam insole for all-day comfort on your feet.",
                    "Durable toe cap resists scuffs.",
                    "Lugged outsole for dirt tracks and light hikes."),
            concept("running_socks", g, "sportswear", Relevance.IRRELEVANT, 11, 9, 25)
                .keyword("Running Socks for Running Shoes", "Cushioned Socks for Running Shoes")
                .seo("Running Shoes Socks")
                .paraphrase("Running Socks", "Cushioned Running Socks", "Compression Running Socks",
                    "Anti-Blister Running Socks")
                .qualifiers("3 Pairs", "6 Pack", "Ankle", "Crew Length", "Merino Blend")
                .features("Seamless toe prevents blisters.", "Arch compression for a snug fit.",
                    "Moisture-wicking yarn keeps feet dry.")
                .keywordLines("Socks that pair with any running shoes for blister-free running."),
            concept("shoe_rack", g, "home storage", Relevance.IRRELEVANT, 11, 25, 79)
                .keyword("Shoe Rack for Running Shoes and Boots", "Running Shoes Storage Rack")
                .seo("Running Shoes Organizer")
                .paraphrase("Shoe Rack for 20 Pairs of Shoes", "Stackable Shoes Organizer", "Over-the-Door Shoes Hanger")
                .qualifiers("4 Tier", "Bamboo", "Metal", "Stackable", "Holds 20 Pairs")
                .features("Tool-free assembly in ten minutes.", "Slatted shelves let air circulate.",
                    "Fits narrow hallways and closets.")
                .keywordLines("Keeps running shoes, boots and sandals tidy by the door."),
            concept("shoe_care", g, "footwear care", Relevance.IRRELEVANT, 11, 7, 29)
                .keyword("Cleaning Kit for Running Shoes", "Insoles for Running Shoes", "Running Shoes Deodorizer Spray")
                .seo("Running Shoes Care")
                .paraphrase("Shoes Cleaning Kit", "Shoes Deodorizer Spray", "Replacement Shoes Laces",
                    "Shoes Polish Set")
                .qualifiers("2 Pack", "Value Pack", "Premium", "Universal Fit")
                .features("Works on mesh, suede and leather.", "Neutralises odour overnight.",
                    "Made to last many seasons.")
                .keywordLines("Brings tired running shoes back to life in minutes."),
            concept("running_gear", g, "sports accessories", Relevance.IRRELEVANT, 7, 12, 59)
                .paraphrase("Running Belt Phone Holder", "Running Armband for Phones", "Running Waist Pack",
                    "Running Hydration Vest", "Running Phone Belt")
                .qualifiers("Adjustable", "Reflective", "Unisex", "Lightweight")
                .features("Bounce-free fit at any pace.", "Fits phones up to 6.7 inches.",
                    "Sweat-resistant stretch fabric."));
    }

    private static Group laptopBag() {
        String g = "laptop_bag";
        return group(g, "laptop bag", List.of("Carryall", "Urbanpack", "Nomadix", "Satchelry", "Portwell"),
            concept("laptop_bag", g, "bags", Relevance.EXACT, 45, 29, 149)
                .glossLines("A padded messenger satchel that carries a notebook computer to work.", "A briefcase-style carry case with a cushioned computer compartment.", "Protects your notebook computer and charger on the daily commute.")
                .keyword("Laptop Bag", "Laptop Messenger Bag", "Laptop Shoulder Bag", "Slim Laptop Bag",
                    "Water-Resistant Laptop Bag", "Leather Laptop Bag")
                .paraphrase("Laptop Messenger Satchel", "Laptop Briefcase", "Padded Laptop Sleeve Case",
                    "Notebook Computer Shoulder Bag", "Computer Messenger Bag", "Commuter Briefcase Bag")
                .noOverlap("Padded Notebook Messenger Satchel", "Commuter Briefcase with Computer Sleeve",
                    "Slim Carry Case for MacBook and Ultrabooks", "Leather Computer Satchel",
                    "Canvas Messenger for 15-Inch Notebooks")
                .qualifiers("15.6 Inch", "13 Inch", "14 Inch", "17 Inch", "with Shoulder Strap", "Vegan Leather",
                    "Canvas", "Men's", "Women's")
                .features("Fits notebooks up to 15.6 inches in a padded, fleece-lined sleeve.",
                    "Front organiser pocket for chargers, pens and a phone.",
                    "Adjustable padded shoulder strap and trolley sleeve.",
                    "Water-resistant nylon shell shrugs off rain on the commute.",
                    "YKK zips and reinforced stitching.",
                    "Slim profile slides easily under a train seat.")
                .keywordLines("A laptop bag that keeps your computer safe on the commute.",
                    "This laptop bag holds everything for a day at work.",
                    "The laptop bag for meetings, trains and client visits."),
            concept("laptop_backpack", g, "bags", Relevance.PARTIAL, 15, 35, 129)
                .glossLines("A backpack with a padded sleeve for a notebook computer.", "A commuter rucksack that keeps a notebook computer safe.")
                .keyword("Laptop Backpack Bag", "Laptop Bag Backpack Convertible")
                .paraphrase("Laptop Backpack", "Anti-Theft Laptop Backpack", "Laptop Rucksack", "Roll-Top Laptop Backpack")
                .noOverlap("Daypack with Padded Computer Compartment", "Travel Rucksack with Notebook Sleeve",
                    "Anti-Theft Commuter Rucksack")
                .qualifiers("25 L", "30 L", "USB Charging Port", "Water-Resistant", "15.6 Inch")
                .features("Padded back panel and breathable straps.", "Hidden anti-theft pocket at the back.",
                    "Luggage strap slides over a trolley handle.")
                .keywordLines("Converts from laptop bag to backpack in seconds."),
            concept("laptop_stand", g, "computer accessories", Relevance.IRRELEVANT, 11, 19, 59)
                .keyword("Laptop Stand with Carry Bag", "Foldable Laptop Stand in Travel Bag")
                .seo("Portable Laptop Stand Bag Set")
                .paraphrase("Laptop Stand", "Adjustable Aluminium Laptop Stand", "Laptop Riser", "Laptop Cooling Pad")
                .qualifiers("Adjustable Height", "Aluminium", "Foldable", "Portable")
                .features("Raises the screen to eye level.", "Folds flat for travel.", "Anti-slip silicone pads.")
                .keywordLines("Folds into its own laptop bag sized pouch."),
            concept("sleeping_bag", g, "outdoor", Relevance.IRRELEVANT, 7, 39, 149)
                .paraphrase("Sleeping Bag", "Mummy Sleeping Bag", "Lightweight Sleeping Bag", "Kids Sleeping Bag")
                .qualifiers("3 Season", "Comfort 5°C", "Compact", "Zip Together")
                .features("Draft collar keeps warmth in.", "Packs into a compression sack.",
                    "Two-way zip for ventilation."),
            concept("duffel_bag", g, "bags", Relevance.IRRELEVANT, 11, 19, 89)
                .keyword("Duffel Bag with Laptop Pocket", "Weekender Bag with Laptop Sleeve")
                .seo("Travel Bag for Laptop")
                .paraphrase("Gym Duffel Bag", "Weekender Duffel Bag", "Drawstring Gym Bag", "Sports Holdall Bag")
                .qualifiers("40 L", "Waterproof", "with Shoe Compartment", "Foldable")
                .features("Separate compartment for wet towels.", "Detachable shoulder strap.",
                    "Fits most airline cabin sizers.")
                .keywordLines("Weekend travel sorted: a duffel with a padded laptop bag section."));
    }

    private static Group coffeeMaker() {
        String g = "coffee_maker";
        return group(g, "coffee maker", List.of("Brewtonic", "Cremalux", "Baristo", "Dripwell", "Morningcup"),
            concept("coffee_maker", g, "kitchen appliances", Relevance.EXACT, 45, 39, 399)
                .glossLines("A countertop brewer for fresh espresso or filter brews at home.", "Wake up to a hot, freshly brewed pot every morning.", "An automatic machine that brews a rich cup at the push of a button.")
                .keyword("Coffee Maker", "Drip Coffee Maker", "Programmable Coffee Maker", "12-Cup Coffee Maker",
                    "Single Serve Coffee Maker", "Coffee Maker with Grinder")
                .paraphrase("Drip Coffee Machine", "Espresso Coffee Machine", "Filter Coffee Brewer",
                    "Pod Coffee Machine", "Espresso Maker", "Bean-to-Cup Coffee Machine")
                .noOverlap("Programmable Drip Brewer with Thermal Carafe", "Espresso Machine with Milk Frother",
                    "Single-Serve Pod Brewer", "Bean-to-Cup Espresso Machine", "Filter Brewer with Glass Carafe")
                .qualifiers("12 Cup", "1.5 L", "Stainless Steel", "with Timer", "1000 W", "Compact")
                .features("Brews a full 1.5-litre carafe in under ten minutes.",
                    "24-hour programmable timer so a fresh pot is ready when you wake.",
                    "Reusable mesh filter saves money on paper filters.",
                    "Anti-drip valve lets you pour a cup mid-brew.",
                    "Keep-warm plate switches off automatically after 40 minutes.",
                    "Descaling alert tells you when it needs a clean.")
                .keywordLines("A reliable coffee maker for busy mornings.",
                    "This coffee maker brews barista-style coffee at home.",
                    "The coffee maker that makes a full pot at the push of a button."),
            concept("manual_brewer", g, "kitchenware", Relevance.PARTIAL, 15, 15, 69)
                .glossLines("Brew by hand: pour hot water, wait, and enjoy a rich cup.", "A manual brewer for slow, full-bodied morning cups.")
                .keyword("Pour Over Coffee Maker", "Cold Brew Coffee Maker")
                .paraphrase("French Press Coffee Pot", "Pour-Over Coffee Dripper", "Stovetop Espresso Maker",
                    "Cold Brew Coffee Pitcher")
                .noOverlap("Glass French Press", "Ceramic Pour-Over Dripper", "Stovetop Moka Pot",
                    "Gooseneck Pour-Over Kettle")
                .qualifiers("1 L", "600 ml", "Borosilicate Glass", "Stainless Steel", "6 Cup")
                .features("No electricity, no pods, no waste.", "Double mesh plunger for a clean cup.",
                    "Dishwasher-safe glass carafe.")
                .keywordLines("The simplest coffee maker there is: hot water and four minutes."),
            concept("coffee_maker_parts", g, "kitchen supplies", Relevance.IRRELEVANT, 16, 6, 29)
                .keyword("Descaler for Coffee Maker", "Coffee Maker Cleaning Tablets", "Replacement Carafe for Coffee Maker",
                    "Paper Filters for Coffee Maker")
                .seo("Coffee Maker Accessories", "Coffee Maker Cleaner")
                .paraphrase("Coffee Machine Descaler", "Coffee Filters 200 Count", "Coffee Machine Water Filter")
                .qualifiers("Universal Fit", "Value Pack", "Premium")
                .features("Made to fit every major brand.", "Food-safe materials.", "Easy to use.")
                .keywordLines("Keeps any coffee maker brewing like new."),
            concept("coffee_mug", g, "tableware", Relevance.IRRELEVANT, 7, 9, 39)
                .paraphrase("Coffee Mug", "Insulated Travel Coffee Mug", "Ceramic Coffee Mugs Set of 4", "Coffee Tumbler")
                .qualifiers("350 ml", "Stoneware", "Leak-Proof Lid", "Dishwasher Safe")
                .features("Double-wall steel keeps drinks hot for six hours.", "Comfortable wide handle.",
                    "Microwave safe."),
            concept("coffee_beans", g, "grocery", Relevance.IRRELEVANT, 7, 7, 34)
                .paraphrase("Coffee Beans Dark Roast", "Whole Bean Coffee", "Ground Coffee Medium Roast",
                    "Decaf Coffee Beans")
                .qualifiers("1 kg", "500 g", "Single Origin", "Fair Trade")
                .features("Notes of cocoa and toasted hazelnut.", "Roasted in small batches every week.",
                    "Resealable valve pouch keeps beans fresh."),
            concept("kitchen_maker", g, "kitchen appliances", Relevance.IRRELEVANT, 7, 29, 179)
                .paraphrase("Ice Maker", "Countertop Ice Maker", "Bread Maker", "Automatic Bread Maker",
                    "Waffle Maker", "Yogurt Maker")
                .qualifiers("Stainless Steel", "Compact", "Digital Display", "Black")
                .features("Ready in minutes at the push of a button.", "Non-stick plates wipe clean.",
                    "Compact footprint for small kitchens."));
    }

    private static Group headphones() {
        String g = "wireless_headphones";
        return group(g, "wireless headphones", List.of("Sonivox", "Auralis", "Bassline", "Quietude", "Echowave"),
            concept("wireless_headphones", g, "audio", Relevance.EXACT, 45, 29, 349)
                .glossLines("Bluetooth listening with no cables: music and calls on the go.", "Cordless over-ear sound with active noise cancelling.", "Cable-free earphones that pair with your phone in seconds.")
                .keyword("Wireless Headphones", "Wireless Over-Ear Headphones", "Noise Cancelling Wireless Headphones",
                    "Wireless On-Ear Headphones", "Wireless Sports Headphones")
                .paraphrase("Bluetooth Over-Ear Headphones", "Noise Cancelling Headphones", "Wireless Earbuds",
                    "Wireless Headset", "Bluetooth Headphones", "Wireless Neckband Earphones")
                .noOverlap("Bluetooth Over-Ear Headset with Noise Cancelling", "True Cordless Earbuds with Charging Case",
                    "Bluetooth Noise-Cancelling Headset", "Cordless Studio Earphones", "Bluetooth Neckband Earphones")
                .qualifiers("40h Battery", "Bluetooth 5.3", "Foldable", "with Mic", "Active Noise Cancelling",
                    "Fast Charging", "Hi-Res Audio")
                .features("Up to 40 hours of playback on a single charge.",
                    "Active noise cancelling blocks out trains and open-plan chatter.",
                    "Pairs instantly with phones and tablets.",
                    "Soft memory-foam ear cushions for all-day comfort.",
                    "Built-in microphones for clear calls.",
                    "Ten minutes of charging gives three hours of listening.")
                .keywordLines("Premium wireless headphones with deep, detailed bass.",
                    "These wireless headphones free you from tangled cables.",
                    "Wireless headphones made for commuting and travel."),
            concept("wired_headphones", g, "audio", Relevance.PARTIAL, 15, 15, 199)
                .glossLines("Corded listening for the studio, gaming and school.", "Plug-in earphones with clear sound and no batteries to charge.")
                .paraphrase("Wired Studio Headphones", "Gaming Headphones with Mic", "Kids Headphones", "DJ Headphones")
                .noOverlap("Wired Studio Monitor Headset", "Gaming Headset with Boom Mic", "In-Ear Monitors with Cable",
                    "Wired Earbuds with Mic")
                .qualifiers("3.5 mm Jack", "Volume Limited", "Detachable Cable", "Closed Back")
                .features("Detachable 3 m coiled cable.", "Flat frequency response for mixing.",
                    "Volume limited to 85 dB for young ears."),
            concept("wireless_mouse", g, "computer accessories", Relevance.IRRELEVANT, 7, 9, 59)
                .paraphrase("Wireless Mouse", "Ergonomic Wireless Mouse", "Silent Wireless Mouse", "Wireless Keyboard")
                .qualifiers("2.4 GHz", "Rechargeable", "USB-C", "Silent Click")
                .features("Silent clicks for shared spaces.", "Up to 18 months on one battery.",
                    "Plug-and-play USB receiver."),
            concept("wireless_charger", g, "phone accessories", Relevance.IRRELEVANT, 11, 12, 69)
                .keyword("Wireless Charging Case for Headphones", "Wireless Charger for Headphones and Phones")
                .seo("Wireless Headphones Charger")
                .paraphrase("Wireless Charger Pad", "3-in-1 Wireless Charging Stand", "Wireless Power Bank")
                .qualifiers("15 W", "Qi Certified", "Fast Charging", "USB-C")
                .features("Charges through thin cases.", "Overheat protection.",
                    "LED ring shows charging status.")
                .keywordLines("Drop your wireless headphones on the pad and walk away charged."),
            concept("headphone_accessory", g, "audio accessories", Relevance.IRRELEVANT, 11, 7, 39)
                .keyword("Carrying Case for Wireless Headphones", "Replacement Ear Cushions for Wireless Headphones",
                    "Wireless Headphones Stand with USB Hub")
                .seo("Wireless Headphones Accessories")
                .paraphrase("Headphones Stand", "Replacement Ear Pads for Headphones", "Headphones Carrying Case",
                    "Headphones Hanger Hook")
                .qualifiers("Universal Fit", "Black", "Premium", "Travel")
                .features("Fits most major models.", "Protects against wear and drops.", "Fits without tools.")
                .keywordLines("Protects your wireless headphones on every trip."));
    }

    private static Group winterJacket() {
        String g = "winter_jacket";
        return group(g, "winter jacket", List.of("Northpeak", "Frostline", "Glacierwear", "Tundrix", "Alpenrock"),
            concept("winter_jacket", g, "outerwear", Relevance.EXACT, 45, 59, 299)
                .glossLines("An insulated coat that keeps you warm in snow and freezing wind.", "A down-filled parka for cold-weather days.", "Warm, waterproof outerwear for the coldest months.")
                .keyword("Winter Jacket", "Waterproof Winter Jacket", "Insulated Winter Jacket", "Hooded Winter Jacket",
                    "Winter Down Jacket")
                .paraphrase("Down Jacket", "Puffer Jacket", "Insulated Ski Jacket", "Winter Parka", "Winter Coat",
                    "Quilted Jacket")
                .noOverlap("Insulated Down Parka with Faux-Fur Hood", "Quilted Puffer Coat for Cold Weather",
                    "Thermal Insulated Anorak", "Heavyweight Arctic Parka", "Hooded Snow Coat")
                .qualifiers("Men's", "Women's", "Hooded", "Waterproof", "Packable", "Rated to -20°C", "Slim Fit")
                .features("700-fill-power down keeps you warm down to minus twenty degrees.",
                    "Windproof, waterproof shell with taped seams.",
                    "Fleece-lined hand pockets and adjustable cuffs.",
                    "Detachable hood with faux-fur trim.",
                    "Two-way zip and storm flap seal out snow.",
                    "Packs into its own pocket for travel.")
                .keywordLines("A warm winter jacket for the coldest days.",
                    "This winter jacket is built for snow, sleet and wind.",
                    "The winter jacket you will reach for all season."),
            concept("light_jacket", g, "outerwear", Relevance.PARTIAL, 15, 29, 149)
                .glossLines("A light outer layer for rain, wind and mild days.", "A breathable shell for spring and autumn walks.")
                .paraphrase("Rain Jacket", "Softshell Jacket", "Fleece Jacket", "Lightweight Windbreaker Jacket")
                .noOverlap("Packable Rain Shell", "Fleece Mid-Layer Pullover", "Softshell Windbreaker")
                .qualifiers("Men's", "Women's", "Packable", "Breathable", "Hooded")
                .features("Seam-sealed and breathable for wet walks.", "Stretch fabric moves with you.",
                    "Light enough to stash in a daypack."),
            concept("life_jacket", g, "water sports", Relevance.IRRELEVANT, 7, 25, 99)
                .paraphrase("Life Jacket", "Kayak Life Jacket", "Kids Swim Life Jacket", "Fishing Life Jacket")
                .qualifiers("50 N", "ISO Certified", "Adjustable", "High Visibility")
                .features("Buoyancy foam certified to 50 newtons.", "Whistle and reflective tape included.",
                    "Three buckles for a secure fit."),
            concept("winter_tyres", g, "automotive", Relevance.IRRELEVANT, 7, 59, 189)
                .paraphrase("Winter Tyres", "Winter Tyre Set", "Studless Winter Tyres")
                .qualifiers("205/55 R16", "225/45 R17", "195/65 R15", "Set of 4")
                .features("Deep sipes bite into packed snow.", "Shorter braking on ice.", "Rated for temperatures below 7°C."),
            concept("winter_accessory", g, "accessories", Relevance.IRRELEVANT, 11, 9, 49)
                .keyword("Winter Gloves to Match Your Winter Jacket", "Detachable Faux-Fur Hood for Winter Jacket")
                .seo("Winter Jacket Accessories")
                .paraphrase("Winter Gloves", "Winter Beanie Hat", "Winter Scarf", "Winter Hat and Gloves Set")
                .qualifiers("Knitted", "Fleece Lined", "One Size", "Unisex")
                .features("Soft fleece lining.", "Chunky cable knit.", "Warm without bulk.")
                .keywordLines("Completes any winter jacket on frosty mornings."),
            concept("winter_car", g, "automotive", Relevance.IRRELEVANT, 7, 9, 49)
                .paraphrase("Winter Windshield Cover", "Winter Car Emergency Kit", "Winter Ice Scraper")
                .qualifiers("Universal Fit", "Heavy Duty", "Compact")
                .features("Stops frost forming overnight.", "Stores flat in the boot.", "Works on every car."),
            concept("jacket_misc", g, "household", Relevance.IRRELEVANT, 11, 5, 29)
                .keyword("Down Wash for Winter Jacket", "Garment Cover for Winter Jacket")
                .seo("Winter Jacket Care")
                .paraphrase("Book Jacket Covers", "Jacket Hanger", "Clear Book Jacket Film")
                .qualifiers("Value Pack", "Premium", "2 Pack")
                .features("Keeps things in shape.", "Gentle on feathers and fabric.", "Easy to use.")
                .keywordLines("Restores loft to a winter jacket in one wash."));
    }

    private static Group officeChair() {
        String g = "office_chair";
        return group(g, "office chair", List.of("Ergonomix", "Seatcraft", "Posturo", "Deskmate", "Swivelo"),
            concept("office_chair", g, "furniture", Relevance.EXACT, 45, 69, 449)
                .glossLines("An ergonomic desk seat for long workdays at the computer.", "A swivel task seat with lumbar support for home and work desks.", "Sit comfortably through every meeting and deadline.")
                .keyword("Office Chair", "Ergonomic Office Chair", "Mesh Office Chair", "High-Back Office Chair",
                    "Executive Office Chair")
                .paraphrase("Ergonomic Desk Chair", "Swivel Task Chair", "Mesh Computer Chair", "Office Task Seat",
                    "Executive Chair", "Home Office Seat")
                .noOverlap("Ergonomic Swivel Desk Seat with Lumbar Support", "Executive High-Back Task Seat",
                    "Breathable Mesh Task Seat", "Adjustable Workspace Seat", "Leather Executive Swivel Seat")
                .qualifiers("with Lumbar Support", "Adjustable Armrests", "Mesh Back", "Headrest", "150 kg Capacity",
                    "Swivel", "Reclining")
                .features("Adjustable lumbar support follows the curve of your spine.",
                    "Breathable mesh back keeps you cool through long workdays.",
                    "Gas lift adjusts seat height from 45 to 55 cm.",
                    "4D armrests and a tilt lock with three positions.",
                    "Smooth-rolling nylon casters safe for hard floors.",
                    "Rated for 150 kg and tested for 100,000 cycles.")
                .keywordLines("An office chair designed for eight-hour days.",
                    "This office chair brings ergonomic comfort to any desk.",
                    "The office chair our customers sit in all day."),
            concept("alt_seating", g, "furniture", Relevance.PARTIAL, 15, 49, 299)
                .glossLines("An alternative seat for desks, gaming setups and studios.", "Active sitting that changes how you work at a desk.")
                .paraphrase("Gaming Chair", "Racing Gaming Chair", "Drafting Chair", "Kneeling Chair")
                .noOverlap("Ergonomic Kneeling Stool", "Saddle Seat Stool", "Racing-Style Gaming Seat")
                .qualifiers("with Footrest", "Reclining", "Height Adjustable", "PU Leather")
                .features("Reclines to 155 degrees.", "Encourages an open hip angle.", "Retractable footrest."),
            concept("chair_accessory", g, "furniture accessories", Relevance.IRRELEVANT, 11, 12, 59)
                .keyword("Office Chair Cushion", "Lumbar Pillow for Office Chair", "Replacement Casters for Office Chair",
                    "Hard Floor Protector for Office Chair")
                .seo("Office Chair Accessories")
                .paraphrase("Chair Cushion Memory Foam", "Seat Cushion for Chair", "Chair Casters Set of 5")
                .qualifiers("Universal Fit", "Premium", "Black", "Non-Slip")
                .features("Fits most models.", "Quiet on wooden floors.", "Easy to fit without tools.")
                .keywordLines("Upgrades any office chair in seconds."),
            concept("outdoor_chair", g, "garden furniture", Relevance.IRRELEVANT, 7, 19, 149)
                .paraphrase("Folding Beach Chair", "Camping Chair", "Rocking Chair", "Folding Garden Chair")
                .qualifiers("Foldable", "with Cup Holder", "Weatherproof", "Teak")
                .features("Folds flat for the car boot.", "Powder-coated steel frame.", "Holds up to 120 kg."),
            concept("office_supplies", g, "office supplies", Relevance.IRRELEVANT, 7, 9, 199)
                .paraphrase("Office Desk Organizer", "Office Paper Shredder", "Office Whiteboard", "Office Label Printer")
                .qualifiers("Compact", "Professional", "Premium")
                .features("Keeps the desk clutter-free.", "Built for daily use at work.", "Two-year warranty."));
    }

    private static Group dogBed() {
        String g = "dog_bed";
        return group(g, "dog bed", List.of("Pawfect", "Snoozepup", "Barkley", "Furhaven", "Cozypaw"),
            concept("dog_bed", g, "pet supplies", Relevance.EXACT, 45, 19, 149)
                .glossLines("A soft, washable pet mattress where puppies and older dogs can rest.", "A cosy sleeping spot for your pup with orthopedic support.", "Cushioned comfort for naps and nights, for pets of every size.")
                .keyword("Dog Bed", "Orthopedic Dog Bed", "Plush Dog Bed", "Washable Dog Bed", "Calming Dog Bed")
                .paraphrase("Orthopedic Dog Mattress", "Dog Cushion with Bolster", "Pet Bed with Bolster", "Donut Pet Bed",
                    "Dog Sofa Couch", "Raised Dog Cot")
                .noOverlap("Orthopedic Memory Foam Pet Mattress for Large Breeds", "Plush Donut Cushion for Puppies",
                    "Bolster Pet Lounger", "Elevated Cooling Pet Cot", "Calming Pet Nest")
                .qualifiers("Large", "Medium", "Small", "XL", "Washable Cover", "Non-Skid Base", "Memory Foam")
                .features("Memory foam base relieves pressure on ageing joints.",
                    "Removable cover is machine washable.",
                    "Raised bolsters give a secure place to rest a head.",
                    "Non-skid bottom stays put on tiles and wooden floors.",
                    "Water-resistant liner protects the foam from accidents.",
                    "Sizes for breeds from terriers to Great Danes.")
                .keywordLines("A cosy dog bed your best friend will love.",
                    "This dog bed supports dogs of every age.",
                    "The dog bed vets recommend for older joints."),
            concept("pet_pad", g, "pet supplies", Relevance.PARTIAL, 15, 12, 69)
                .glossLines("A soft pad for crates, kennels and car rides.", "A washable resting pad for pets on the go.")
                .paraphrase("Dog Crate Pad", "Dog Blanket", "Dog Kennel Pad", "Pet Bed Mattress Topper")
                .noOverlap("Kennel Crate Cushion", "Fleece Pet Throw", "Cooling Gel Pet Pad")
                .qualifiers("Large", "Medium", "Machine Washable", "Waterproof")
                .features("Fits standard crates.", "Soft sherpa on one side, quilted on the other.",
                    "Cooling gel for hot days."),
            concept("dog_walk", g, "pet supplies", Relevance.IRRELEVANT, 7, 9, 49)
                .paraphrase("Dog Leash", "Retractable Dog Leash", "Dog Harness", "Dog Collar")
                .qualifiers("Reflective", "Padded", "Adjustable", "Large")
                .features("Reflective stitching for night walks.", "Rust-proof metal hardware.", "Padded for comfort."),
            concept("dog_food", g, "pet food", Relevance.IRRELEVANT, 7, 5, 69)
                .paraphrase("Dry Dog Food Chicken", "Grain-Free Dog Food", "Dog Treats", "Puppy Dog Food")
                .qualifiers("Value Pack", "Adult", "Senior", "Sensitive")
                .features("Real meat as the first ingredient.", "No artificial colours.", "Supports healthy digestion."),
            concept("bed_linen", g, "bedding", Relevance.IRRELEVANT, 7, 19, 249)
                .paraphrase("Bed Sheets Queen Size", "Bed Pillows Set of 2", "Bed Frame with Headboard", "Bed Skirt")
                .qualifiers("Queen", "King", "Double", "White")
                .features("Made to last for years.", "Fits standard mattress sizes.",
                    "Easy care."),
            concept("dog_bed_accessory", g, "pet supplies", Relevance.IRRELEVANT, 16, 15, 79)
                .keyword("Dog Stairs for Bed", "Replacement Cover for Dog Bed", "Waterproof Liner for Dog Bed",
                    "Dog Ramp for Bed and Sofa")
                .seo("Dog Bed Accessories")
                .paraphrase("Dog Stairs", "Pet Steps for Bed", "Dog Ramp")
                .qualifiers("Large", "Medium", "Non-Slip", "Grey")
                .features("Fits most standard sizes.", "Easy to clean.", "Made from durable, pet-safe materials.")
                .keywordLines("Helps a small dog reach the bed without jumping."));
    }

    private static Group yogaMat() {
        String g = "yoga_mat";
        return group(g, "yoga mat", List.of("Zenflex", "Lotusgrip", "Asanafit", "Pranahaus", "Flowform"),
            concept("yoga_mat", g, "fitness", Relevance.EXACT, 45, 19, 129)
                .glossLines("A non-slip pad for pilates, stretching and floor workouts.", "Grippy cushioning for sun salutations and balancing poses.", "A cushioned surface for home practice and studio classes.")
                .keyword("Yoga Mat", "Non-Slip Yoga Mat", "Extra Thick Yoga Mat", "Cork Yoga Mat", "Travel Yoga Mat")
                .paraphrase("Yoga Exercise Pad", "Non-Slip Yoga Pad", "Cork Workout Mat", "Pilates Mat", "Exercise Mat",
                    "Yoga Fitness Pad")
                .noOverlap("Non-Slip Exercise Pad for Pilates and Stretching", "Natural Rubber Workout Pad",
                    "Eco Cork Fitness Pad", "Foldable Travel Exercise Pad", "Extra Thick Pilates Pad")
                .qualifiers("6 mm", "4 mm", "8 mm", "with Carry Strap", "TPE", "Natural Rubber", "183 x 61 cm")
                .features("Textured non-slip surface holds steady in every pose.",
                    "6 mm cushioning protects knees and wrists.",
                    "Closed-cell surface wipes clean and resists sweat.",
                    "Alignment lines help position hands and feet.",
                    "Light enough to carry to class with the included strap.",
                    "Free of PVC, latex and phthalates.")
                .keywordLines("A yoga mat with grip that lasts.",
                    "This yoga mat suits beginners and seasoned yogis alike.",
                    "The yoga mat for hot classes and home practice."),
            concept("floor_mat", g, "fitness", Relevance.PARTIAL, 15, 19, 99)
                .glossLines("Protective flooring for home gyms and stretching.", "Cushioned flooring for workouts, tumbling and play.")
                .paraphrase("Interlocking Gym Floor Mat", "Folding Gymnastics Mat", "Yoga Towel Non-Slip",
                    "Stretching Mat for Home Gym")
                .noOverlap("Interlocking Foam Floor Tiles", "Folding Tumbling Pad", "Home Gym Floor Tiles")
                .qualifiers("6 Tiles", "Foldable", "Extra Thick", "Sweat-Absorbent")
                .features("Interlocking edges for a seamless floor.", "High-density foam absorbs impact.",
                    "Folds into four panels."),
            concept("home_mat", g, "home textiles", Relevance.IRRELEVANT, 7, 9, 49)
                .paraphrase("Door Mat", "Coir Welcome Mat", "Rubber Door Mat", "Bath Mat", "Non-Slip Bath Mat",
                    "Memory Foam Bath Mat")
                .qualifiers("60 x 40 cm", "Machine Washable", "Quick Dry", "Heavy Duty")
                .features("Traps dirt at the entrance.", "Quick-dry microfibre.", "Rubber backing stays in place."),
            concept("mouse_mat", g, "computer accessories", Relevance.IRRELEVANT, 7, 7, 29)
                .paraphrase("Mouse Mat", "Gaming Mouse Mat XXL", "Ergonomic Mouse Mat with Wrist Rest")
                .qualifiers("900 x 400 mm", "Stitched Edges", "Gel Wrist Rest", "RGB")
                .features("Smooth micro-weave surface.", "Stitched edges prevent fraying.", "Rubber base."),
            concept("yoga_accessory", g, "fitness", Relevance.IRRELEVANT, 11, 12, 69)
                .keyword("Yoga Mat Carry Strap", "Yoga Mat Cleaner Spray", "Yoga Mat Storage Rack")
                .seo("Yoga Mat Accessories")
                .paraphrase("Yoga Pants High Waist", "Yoga Leggings", "Yoga Block Set", "Yoga Strap")
                .qualifiers("Eco-Friendly", "Premium", "Studio Quality")
                .features("Studio quality at a home price.", "Eco-friendly materials.", "Loved by instructors.")
                .keywordLines("Keeps your yoga mat fresh and ready for the next class."));
    }

    // ---------------------------------------------------------------- filler groups (no query)

    private static Group garden() {
        String g = "garden";
        return group(g, null, List.of("Verdana", "Greenleaf", "Rootwell"),
            filler("plant_pot", g, "garden", 9, 49, List.of("Ceramic Plant Pot", "Self-Watering Planter",
                    "Terracotta Flower Pot", "Hanging Planter"),
                List.of("20 cm", "Set of 3", "with Drainage Hole", "Matte White"),
                List.of("Drainage hole and saucer prevent soggy roots.", "Frost-resistant glaze for balconies.",
                    "Suits herbs, succulents and small shrubs.")),
            filler("garden_hose", g, "garden", 19, 89, List.of("Expandable Garden Hose", "Garden Hose Reel", "Soaker Hose"),
                List.of("15 m", "30 m", "with 8-Pattern Nozzle"),
                List.of("Brass fittings resist leaks and corrosion.", "Expands to three times its length under pressure.",
                    "Kink-free inner tube.")),
            filler("pruning", g, "garden tools", 12, 79, List.of("Bypass Pruning Shears", "Hedge Trimmer", "Garden Loppers"),
                List.of("Steel Blades", "Ergonomic Grip", "Telescopic Handles"),
                List.of("Carbon-steel blades cut branches up to 2 cm.", "Safety lock keeps blades closed.",
                    "Cushioned grips reduce hand fatigue.")),
            filler("solar_lights", g, "garden lighting", 14, 59, List.of("Solar Path Lights", "Solar String Lights",
                    "Solar Spotlights"),
                List.of("8 Pack", "Warm White", "IP65"),
                List.of("Charges by day and switches on at dusk.", "Weatherproof housing.", "Up to ten hours of light.")));
    }

    private static Group toys() {
        String g = "toys";
        return group(g, null, List.of("Playforge", "Tinkertots", "Wonderbox"),
            filler("building_toys", g, "toys", 15, 89, List.of("Wooden Building Blocks", "Magnetic Tiles Set",
                    "Construction Bricks Set"),
                List.of("100 Pieces", "Ages 3+", "with Storage Box"),
                List.of("Smooth, splinter-free beech wood.", "Strong magnets in every tile.", "Encourages open-ended play.")),
            filler("puzzle", g, "toys", 9, 39, List.of("1000 Piece Jigsaw Puzzle", "Wooden Brain Teaser", "3D Puzzle Model"),
                List.of("Landscape", "Ages 12+", "Set of 6"),
                List.of("Thick, snug-fitting pieces.", "Poster included for reference.", "Hours of quiet focus.")),
            filler("rc_toy", g, "toys", 29, 149, List.of("Remote Control Car", "RC Monster Truck", "Remote Control Drone"),
                List.of("2.4 GHz", "Rechargeable", "Off-Road"),
                List.of("Reaches 25 km/h.", "Two batteries for double the play time.", "Shock-absorbing suspension.")),
            filler("plush", g, "toys", 9, 39, List.of("Plush Teddy", "Soft Unicorn Plush", "Stuffed Elephant Toy"),
                List.of("30 cm", "Machine Washable", "Ages 0+"),
                List.of("Super-soft fur.", "Embroidered eyes, safe from birth.", "Machine washable at 30 degrees.")));
    }

    private static Group beauty() {
        String g = "beauty";
        return group(g, null, List.of("Lumiere", "Puraskin", "Velvetine"),
            filler("face_cream", g, "skincare", 12, 69, List.of("Hydrating Face Cream", "Night Repair Cream",
                    "SPF 50 Moisturiser"),
                List.of("50 ml", "Fragrance Free", "Vegan"),
                List.of("Hyaluronic acid locks in moisture.", "Absorbs quickly without residue.",
                    "Dermatologically tested.")),
            filler("hair_care", g, "hair care", 7, 29, List.of("Argan Oil Shampoo", "Sulfate-Free Shampoo",
                    "Conditioner for Curly Hair"),
                List.of("500 ml", "Colour Safe", "Vegan"),
                List.of("Gentle enough for daily washing.", "Leaves hair soft and shiny.", "Free of silicones.")),
            filler("serum", g, "skincare", 14, 59, List.of("Vitamin C Serum", "Hyaluronic Acid Serum", "Retinol Serum"),
                List.of("30 ml", "Dropper Bottle", "Fragrance Free"),
                List.of("Brightens dull skin in four weeks.", "Lightweight, fast-absorbing texture.",
                    "Suitable for sensitive skin.")),
            filler("lip_care", g, "makeup", 5, 25, List.of("Lip Balm Set", "Tinted Lip Oil", "Matte Lipstick"),
                List.of("Set of 4", "Long Lasting", "Shea Butter"),
                List.of("Nourishing shea butter formula.", "Long-lasting colour.", "Cruelty free.")));
    }

    private static Group stationery() {
        String g = "stationery";
        return group(g, null, List.of("Inkwell", "Papermoon", "Scribe & Co"),
            filler("notebook", g, "stationery", 5, 29, List.of("Dotted Notebook A5", "Hardcover Journal",
                    "Spiral Sketchbook"),
                List.of("A5", "160 Pages", "100 gsm Paper"),
                List.of("Thick paper with no bleed-through.", "Lay-flat binding.", "Numbered pages and index.")),
            filler("pens", g, "stationery", 4, 49, List.of("Gel Pens 12 Pack", "Fountain Pen", "Fineliner Set"),
                List.of("0.5 mm", "Assorted Colours", "Refillable"),
                List.of("Smooth, skip-free ink.", "Quick-drying for left-handers.", "Refillable converter included.")),
            filler("planner", g, "stationery", 6, 29, List.of("Weekly Planner", "Desk Calendar", "Sticky Notes Set"),
                List.of("Undated", "Monthly Tabs", "Pastel Colours"),
                List.of("Week-to-view layout.", "Goal and habit pages.", "Removable without residue.")),
            filler("craft_supplies", g, "crafts", 3, 19, List.of("Washi Tape Set", "Glue Stick Pack", "Mini Stapler"),
                List.of("Value Pack", "Acid Free", "Set of 6"),
                List.of("Tears by hand.", "Repositionable.", "Safe for photos.")));
    }

    private static Group tools() {
        String g = "tools";
        return group(g, null, List.of("Torqmax", "Ironwood", "Fixright"),
            filler("power_tools", g, "power tools", 49, 199, List.of("Cordless Drill Driver", "Hammer Drill", "Impact Driver"),
                List.of("18 V", "2 Batteries", "Brushless"),
                List.of("Brushless motor for longer runtime.", "Two-speed gearbox.", "LED work light.")),
            filler("screwdrivers", g, "hand tools", 9, 49, List.of("Precision Screwdriver Set", "Ratcheting Screwdriver",
                    "Electric Screwdriver"),
                List.of("32 Bits", "Magnetic", "Chrome Vanadium"),
                List.of("Magnetic tips hold tiny screws.", "Hardened steel bits.", "Compact storage case.")),
            filler("measuring", g, "hand tools", 7, 69, List.of("Tape Measure 5 m", "Laser Distance Meter", "Spirit Level"),
                List.of("Metric", "Shockproof", "Magnetic"),
                List.of("Accurate to 2 mm.", "Belt clip and lock.", "Rubberised case survives drops.")),
            filler("wrenches", g, "hand tools", 12, 89, List.of("Socket Wrench Set", "Adjustable Wrench", "Allen Key Set"),
                List.of("40 Pieces", "Metric and Imperial", "Chrome Vanadium"),
                List.of("72-tooth ratchet.", "Blow-moulded carry case.", "Lifetime warranty.")));
    }

    private static Group grocery() {
        String g = "grocery";
        return group(g, null, List.of("Harvest Lane", "Goldfield", "Old Mill"),
            filler("tea", g, "grocery", 4, 19, List.of("Loose Leaf Green Tea", "Earl Grey Tea", "Chamomile Herbal Tea"),
                List.of("100 g", "Organic", "Caffeine Free"),
                List.of("Hand-picked spring leaves.", "Steep for three minutes.", "Resealable tin.")),
            filler("chocolate", g, "grocery", 2, 15, List.of("Dark Chocolate Bar", "Milk Chocolate Truffles",
                    "Hazelnut Spread"),
                List.of("70% Cocoa", "200 g", "Gift Box"),
                List.of("Single-origin cocoa.", "No palm oil.", "Smooth and rich.")),
            filler("pantry", g, "grocery", 4, 29, List.of("Extra Virgin Olive Oil", "Balsamic Vinegar", "Wildflower Honey",
                    "Maple Syrup"),
                List.of("500 ml", "Organic", "Gift Edition"),
                List.of("From a family farm.", "Small-batch production.", "Recyclable glass bottle.")),
            filler("snacks", g, "grocery", 2, 12, List.of("Sea Salt Crackers", "Roasted Almonds", "Trail Mix"),
                List.of("150 g", "Family Size", "Unsalted"),
                List.of("Baked, not fried.", "Great for lunch boxes.", "High in protein.")));
    }

    // ---------------------------------------------------------------- builders

    private static Group group(String id, String query, List<String> brands, ConceptBuilder... concepts) {
        return new Group(id, query, brands, Arrays.stream(concepts).map(ConceptBuilder::build).toList());
    }

    private static ConceptBuilder concept(String id, String group, String category, Relevance relevance,
                                          double weight, double minPrice, double maxPrice) {
        return new ConceptBuilder(id, group, category, relevance, weight, minPrice, maxPrice);
    }

    private static ConceptBuilder filler(String id, String group, String category, double minPrice, double maxPrice,
                                         List<String> cores, List<String> qualifiers, List<String> features) {
        return new ConceptBuilder(id, group, category, Relevance.IRRELEVANT, 1, minPrice, maxPrice)
            .noOverlap(cores.toArray(String[]::new))
            .qualifiers(qualifiers.toArray(String[]::new))
            .features(features.toArray(String[]::new));
    }

    /** Group factory methods build concepts fluently; {@link Group} takes the built values. */
    private static final class ConceptBuilder {
        private final String id;
        private final String group;
        private final String category;
        private final Relevance relevance;
        private final double weight;
        private final double minPrice;
        private final double maxPrice;
        private List<String> keyword = List.of();
        private List<String> paraphrase = List.of();
        private List<String> noOverlap = List.of();
        private List<String> qualifiers = List.of();
        private List<String> features = List.of();
        private List<String> keywordLines = List.of();
        private List<String> seo = List.of();
        private List<String> glossLines = List.of();

        ConceptBuilder(String id, String group, String category, Relevance relevance, double weight,
                       double minPrice, double maxPrice) {
            this.id = id;
            this.group = group;
            this.category = category;
            this.relevance = relevance;
            this.weight = weight;
            this.minPrice = minPrice;
            this.maxPrice = maxPrice;
        }

        ConceptBuilder keyword(String... v) {
            keyword = Arrays.asList(v);
            return this;
        }

        ConceptBuilder paraphrase(String... v) {
            paraphrase = Arrays.asList(v);
            return this;
        }

        ConceptBuilder noOverlap(String... v) {
            noOverlap = Arrays.asList(v);
            return this;
        }

        ConceptBuilder qualifiers(String... v) {
            qualifiers = Arrays.asList(v);
            return this;
        }

        ConceptBuilder features(String... v) {
            features = Arrays.asList(v);
            return this;
        }

        ConceptBuilder keywordLines(String... v) {
            keywordLines = Arrays.asList(v);
            return this;
        }

        ConceptBuilder glossLines(String... v) {
            glossLines = Arrays.asList(v);
            return this;
        }

        ConceptBuilder seo(String... v) {
            seo = Arrays.asList(v);
            return this;
        }

        Concept build() {
            return new Concept(id, group, category, relevance, weight, minPrice, maxPrice, List.copyOf(keyword),
                List.copyOf(paraphrase), List.copyOf(noOverlap), List.copyOf(qualifiers), List.copyOf(features),
                List.copyOf(keywordLines), List.copyOf(seo), List.copyOf(glossLines));
        }
    }
}
