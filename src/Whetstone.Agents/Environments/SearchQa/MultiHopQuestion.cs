namespace Whetstone.Agents.Environments.SearchQa;

/// <summary>
/// A multi-hop question over a <see cref="KnowledgeWorld"/>, with the entity searched at each hop (the path the
/// expert follows) and the gold answer.
/// </summary>
/// <param name="Text">The question as the agent reads it.</param>
/// <param name="Answer">The gold answer.</param>
/// <param name="Hops">Names to look up, in order; each page names the next.</param>
/// <param name="Kind">Bridge (follow a chain) or comparison (look up two entities, compare).</param>
internal sealed record MultiHopQuestion(string Text, string Answer, IReadOnlyList<string> Hops, string Kind);

/// <summary>Draws questions in the manner of HotpotQA and 2WikiMultiHopQA: bridge chains of 2-3 hops and comparisons.</summary>
internal static class MultiHopQuestionGenerator
{
    public static MultiHopQuestion Generate(KnowledgeWorld world, TaskRandom random)
    {
        var company = random.Pick(world.Companies);
        var founder = world.PersonNamed(company.Founder);
        var birthCity = world.CityNamed(founder.BirthCity);
        var hq = world.CityNamed(company.Headquarters);
        switch (random.Next(0, 6))
        {
            case 0:
                return new($"In which city was the founder of {company.Name} born?", birthCity.Name,
                    [company.Name, founder.Name], "bridge");
            case 1:
                return new($"In which country are the headquarters of {company.Name}?", hq.Country,
                    [company.Name, hq.Name], "bridge");
            case 2:
                return new($"In what year was the founder of {company.Name} born?", founder.BirthYear.ToString(),
                    [company.Name, founder.Name], "bridge");
            case 3:
                return new($"In which country was the founder of {company.Name} born?", birthCity.Country,
                    [company.Name, founder.Name, birthCity.Name], "bridge");
            case 4:
            {
                var other = world.Companies.Where(c => c != company && c.FoundedYear != company.FoundedYear).ToList();
                if (other.Count == 0)
                    goto case 0;
                var b = random.Pick(other);
                var first = company.FoundedYear < b.FoundedYear ? company : b;
                return new($"Which company was founded first, {company.Name} or {b.Name}?", first.Name,
                    [company.Name, b.Name], "comparison");
            }
            default:
            {
                var other = world.People.Where(p => p != founder && p.BirthYear != founder.BirthYear).ToList();
                if (other.Count == 0)
                    goto case 2;
                var b = random.Pick(other);
                var older = founder.BirthYear < b.BirthYear ? founder : b;
                return new($"Who was born earlier, {founder.Name} or {b.Name}?", older.Name,
                    [founder.Name, b.Name], "comparison");
            }
        }
    }
}
