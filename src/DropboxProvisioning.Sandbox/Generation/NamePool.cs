namespace DropboxProvisioning.Sandbox.Generation
{
    /// <summary>
    /// Names the generator draws from, each "Native|ascii" (the ascii form builds UPNs and mail nicknames,
    /// as an admin would). Mixed scripts and diacritics on purpose: Dropbox and SCIM must round-trip them.
    /// </summary>
    internal static class NamePool
    {
        /// <summary>Given name, surname: the first users of every tenant, so even a small tenant shows every script.</summary>
        public static readonly string[][] Showcase =
        {
            new[] { "José|jose", "Núñez|nunez" },
            new[] { "Zoë|zoe", "Brontë|bronte" },
            new[] { "Łukasz|lukasz", "Wiśniewski|wisniewski" },
            new[] { "芳|fang", "王|wang" },
            new[] { "Дмитрий|dmitry", "Иванов|ivanov" },
            new[] { "محمد|mohammed", "الأحمد|alahmad" },
            new[] { "Ngọc|ngoc", "Nguyễn|nguyen" },
            new[] { "Siobhán|siobhan", "O'Connor|oconnor" },
            new[] { "François|francois", "Müller|muller" },
            new[] { "Søren|soren", "Kierkegård|kierkegard" },
            new[] { "Ana-María|anamaria", "García-López|garcialopez" },
            new[] { "Jürgen|jurgen", "Groß|gross" },
        };

        public static readonly string[] GivenNames =
        {
            "James|james", "Mary|mary", "Robert|robert", "Patricia|patricia", "Michael|michael", "Linda|linda",
            "David|david", "Elizabeth|elizabeth", "William|william", "Jennifer|jennifer", "Priya|priya", "Arjun|arjun",
            "Mei|mei", "Hiroshi|hiroshi", "Yuki|yuki", "Olga|olga", "Sergei|sergei", "Fatima|fatima", "Omar|omar",
            "Chloé|chloe", "Émile|emile", "Björn|bjorn", "Åsa|asa", "Małgorzata|malgorzata", "Tomás|tomas",
            "Inês|ines", "João|joao", "Kwame|kwame", "Amara|amara", "Noah|noah", "Emma|emma", "Liam|liam",
            "Olivia|olivia", "Lucía|lucia", "Mateo|mateo", "Sofía|sofia", "Ahmet|ahmet", "Elif|elif",
            "Thanh|thanh", "Minh|minh", "伟|wei", "秀英|xiuying", "Анна|anna", "Иван|ivan", "سارة|sara",
            "Gaëlle|gaelle", "Tereza|tereza", "Zoltán|zoltan", "Ingrid|ingrid", "Rahul|rahul",
        };

        public static readonly string[] Surnames =
        {
            "Smith|smith", "Johnson|johnson", "Williams|williams", "Brown|brown", "Jones|jones", "Miller|miller",
            "Davis|davis", "Wilson|wilson", "Anderson|anderson", "Taylor|taylor", "Patel|patel", "Sharma|sharma",
            "Chen|chen", "Tanaka|tanaka", "Suzuki|suzuki", "Petrova|petrova", "Kowalski|kowalski", "Haddad|haddad",
            "Dubois|dubois", "Lefèvre|lefevre", "Andersson|andersson", "Nowak|nowak", "Gonçalves|goncalves",
            "Mensah|mensah", "Okafor|okafor", "Rodríguez|rodriguez", "Fernández|fernandez", "Yılmaz|yilmaz",
            "Trần|tran", "Lê|le", "李|li", "张|zhang", "Смирнов|smirnov", "Кузнецова|kuznetsova", "حسن|hassan",
            "Schröder|schroder", "Novák|novak", "Horváth|horvath", "Lindqvist|lindqvist", "Iyer|iyer",
            "D'Angelo|dangelo", "van der Berg|vanderberg", "Østergaard|ostergaard", "Kaczmarek|kaczmarek",
        };

        /// <summary>Department and the job titles in it.</summary>
        public static readonly string[][] Departments =
        {
            new[] { "Engineering", "Software Engineer", "Senior Software Engineer", "Engineering Manager", "QA Engineer", "Site Reliability Engineer" },
            new[] { "Sales", "Account Executive", "Sales Manager", "Sales Development Representative" },
            new[] { "Marketing", "Marketing Specialist", "Content Strategist", "Marketing Manager" },
            new[] { "Finance", "Accountant", "Financial Analyst", "Controller" },
            new[] { "Human Resources", "HR Generalist", "Recruiter", "HR Business Partner" },
            new[] { "Legal", "Counsel", "Paralegal" },
            new[] { "Operations", "Operations Analyst", "Facilities Coordinator", "Operations Manager" },
            new[] { "Customer Support", "Support Engineer", "Support Team Lead", "Customer Success Manager" },
            new[] { "Research", "Research Scientist", "Data Scientist" },
            new[] { "IT", "Systems Administrator", "Identity Engineer", "Help Desk Technician" },
        };

        /// <summary>Office, city, country, usage location, preferred language.</summary>
        public static readonly string[][] Offices =
        {
            new[] { "Redmond HQ", "Redmond", "United States", "US", "en-US" },
            new[] { "London", "London", "United Kingdom", "GB", "en-GB" },
            new[] { "Paris", "Paris", "France", "FR", "fr-FR" },
            new[] { "München", "München", "Germany", "DE", "de-DE" },
            new[] { "Warszawa", "Warszawa", "Poland", "PL", "pl-PL" },
            new[] { "São Paulo", "São Paulo", "Brazil", "BR", "pt-BR" },
            new[] { "Tokyo", "東京", "Japan", "JP", "ja-JP" },
            new[] { "Hà Nội", "Hà Nội", "Vietnam", "VN", "vi-VN" },
            new[] { "Dubai", "Dubai", "United Arab Emirates", "AE", "ar-AE" },
        };

        public static readonly string[] Projects = { "Phoenix", "Atlas", "Nova", "Orion", "Zephyr", "Halcyon", "Kestrel", "Tundra" };

        public static readonly string[] GuestDomains = { "fabrikam.com", "northwindtraders.com", "adatum.com", "tailspintoys.com" };

        public static string Native(string entry) => entry.Substring(0, entry.IndexOf('|'));
        public static string Ascii(string entry) => entry.Substring(entry.IndexOf('|') + 1);
    }
}
