namespace Whetstone.Agents.Environments.SearchQa;

/// <summary>
/// A small invented world generated for one task: countries, cities, people and companies, linked by facts
/// (a city lies in a country, a person was born in a city in a year, a company was founded by a person in a
/// year and has its headquarters in a city). Names are invented so that only search, not prior knowledge,
/// answers the questions. Each entity has one page in <see cref="Documents"/>.
/// </summary>
internal sealed class KnowledgeWorld
{
    internal sealed record Country(string Name, string Capital);
    internal sealed record City(string Name, string Country, int Population);
    internal sealed record Person(string Name, string BirthCity, int BirthYear, string Profession);
    internal sealed record Company(string Name, string Founder, int FoundedYear, string Headquarters, string Industry);

    public required IReadOnlyList<Country> Countries { get; init; }
    public required IReadOnlyList<City> Cities { get; init; }
    public required IReadOnlyList<Person> People { get; init; }
    public required IReadOnlyList<Company> Companies { get; init; }
    public required IReadOnlyList<KnowledgeDocument> Documents { get; init; }

    private static readonly string[] Onsets = ["b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "dr", "kr", "st", "tr", "th"];
    private static readonly string[] Vowels = ["a", "e", "i", "o", "u", "ae", "ia", "ou"];
    private static readonly string[] Codas = ["", "", "n", "r", "l", "s", "th", "m", "rk", "nd"];
    private static readonly string[] CountrySuffixes = ["ia", "land", "mark", "ovia", "istan"];
    private static readonly string[] CitySuffixes = ["ton", "burg", "ford", "holm", "mere", "gate", "port"];
    // A company's name ends in a word that fits its industry.
    private static readonly (string Suffix, string Industry)[] CompanyKinds =
        [("Works", "machinery"), ("Labs", "software"), ("Systems", "software"), ("Foods", "food"), ("Motors", "car"), ("Textiles", "clothing"), ("Mining", "metals")];
    private static readonly string[] Professions = ["engineer", "chemist", "painter", "architect", "physician", "composer", "merchant"];

    /// <summary>Generates a world: 3 countries, 6 cities, 8 people, 5 companies, each name unique.</summary>
    public static KnowledgeWorld Generate(TaskRandom random)
    {
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        string Unique(Func<string> make)
        {
            for (int i = 0; ; i++)
            {
                var name = make();
                if (used.Add(name))
                    return name;
                if (i > 1000)
                    throw new InvalidOperationException("search-qa: could not generate unique names.");
            }
        }
        string Word(int syllables)
        {
            var s = string.Concat(Enumerable.Range(0, syllables).Select(_ => random.Pick(Onsets) + random.Pick(Vowels))) + random.Pick(Codas);
            return char.ToUpperInvariant(s[0]) + s[1..];
        }

        var countryNames = Enumerable.Range(0, 3).Select(_ => Unique(() => Word(2) + random.Pick(CountrySuffixes))).ToList();
        var cities = new List<City>();
        for (int i = 0; i < 6; i++)
            cities.Add(new City(Unique(() => Word(1 + random.Next(0, 2)) + random.Pick(CitySuffixes)),
                countryNames[i % countryNames.Count], 10_000 * random.Next(2, 200)));
        var countries = countryNames.Select(c => new Country(c, cities.First(x => x.Country == c).Name)).ToList();
        var people = new List<Person>();
        for (int i = 0; i < 8; i++)
            people.Add(new Person(Unique(() => $"{Word(2)} {Word(2)}"), random.Pick(cities).Name,
                random.Next(1900, 1990), random.Pick(Professions)));
        var companies = new List<Company>();
        var founders = people.OrderBy(_ => random.NextUInt64()).Take(5).ToList();
        foreach (var founder in founders)
        {
            var (suffix, industry) = random.Pick(CompanyKinds);
            companies.Add(new Company(Unique(() => $"{Word(2)} {suffix}"), founder.Name,
                founder.BirthYear + random.Next(22, 50), random.Pick(cities).Name, industry));
        }

        var documents = new List<KnowledgeDocument>();
        foreach (var c in countries)
            documents.Add(new(c.Name, $"{c.Name} is a country. Its capital is {c.Capital}."));
        foreach (var c in cities)
            documents.Add(new(c.Name, $"{c.Name} is a city in {c.Country} with about {c.Population:N0} inhabitants."));
        foreach (var p in people)
        {
            var founded = companies.FirstOrDefault(c => c.Founder == p.Name);
            var extra = founded is null ? "" : $" {p.Name} founded {founded.Name}.";
            documents.Add(new(p.Name, $"{p.Name} is a {p.Profession} born in {p.BirthCity} in {p.BirthYear}.{extra}"));
        }
        foreach (var c in companies)
            documents.Add(new(c.Name,
                $"{c.Name} is a {c.Industry} company founded in {c.FoundedYear} by {c.Founder}. Its headquarters are in {c.Headquarters}."));
        // Shuffle so that page order carries no hint.
        documents = documents.OrderBy(_ => random.NextUInt64()).ToList();
        return new KnowledgeWorld { Countries = countries, Cities = cities, People = people, Companies = companies, Documents = documents };
    }

    public City CityNamed(string name) => Cities.First(c => c.Name == name);
    public Person PersonNamed(string name) => People.First(p => p.Name == name);
}
