using System.Globalization;
using System.Text.Json.Nodes;
using static Whetstone.Agents.Environments.ToolApi.ToolApiWorld;
using static Whetstone.Agents.Environments.ToolApi.ToolApiCatalog;

namespace Whetstone.Agents.Environments.ToolApi;

/// <summary>
/// Draws tool-api tasks: one request template per tool (tool selection plus argument generation), and a few that
/// chain two tools, where the second call's arguments depend on the first call's output.
/// </summary>
internal static class ToolApiTaskGenerator
{
    private static readonly string[] Titles = ["team sync", "dentist", "project review", "yoga class", "budget meeting", "call with Sam"];
    private static readonly string[] People = ["ana@example.com", "li@example.com", "omar@example.com", "kate@example.com"];
    private static readonly string[] Subjects = ["Report", "Lunch", "Invoice", "Schedule"];
    private static readonly string[] Bodies = ["see you at noon", "the file is attached", "thanks for your help", "please confirm"];
    private static readonly string[] Phrases = ["good morning friends", "where is the station", "thank you very much", "the train is late"];
    private static readonly string[] Chores = ["water the plants", "call mom", "pay rent", "buy milk", "renew passport"];
    private static readonly string[] Songs = ["Blue Train", "So What", "Clair de Lune", "Take Five"];
    private static readonly string[] Restaurants = ["Luigi's", "Golden Wok", "Taco Loco", "Green Bowl"];
    private static readonly string[] Foods = ["margherita pizza", "spring rolls", "burrito", "salad", "soup"];

    /// <summary>Number of distinct request templates (24 single-tool, 3 chained).</summary>
    public const int TemplateCount = 27;

    public static ToolApiTask Generate(TaskRandom r)
    {
        string Date() => $"2026-{r.Next(1, 13):00}-{r.Next(1, 29):00}";
        string Time() => $"{r.Next(7, 21):00}:{r.Next(0, 4) * 15:00}";
        string City() => r.Pick(Cities);
        (string, string) TwoDistinct(IReadOnlyList<string> items)
        {
            var a = r.Pick(items);
            var b = r.Pick(items.Where(x => x != a).ToList());
            return (a, b);
        }
        static JsonObject Args(params (string Key, JsonNode? Value)[] pairs) => new(pairs.Select(p => KeyValuePair.Create(p.Key, p.Value)));
        static ToolApiTask One(string request, string tool, JsonObject args, params string[] keys) =>
            new(request, [new ExpectedCall(tool, args)], keys);

        switch (r.Next(0, TemplateCount))
        {
            case 0:
            {
                var (city, unit) = (City(), r.Pick(new[] { "celsius", "fahrenheit" }));
                int c = Pick(-5, 34, "weather", city);
                var key = unit == "fahrenheit" ? (c * 9 / 5.0 + 32).ToString("0.#", CultureInfo.InvariantCulture) : c.ToString(CultureInfo.InvariantCulture);
                return One($"What's the weather in {city}? Give me the temperature in {unit}.", "get_weather", Args(("city", city), ("unit", unit)), key);
            }
            case 1:
            {
                var city = City();
                return One($"How clean is the air in {city} today? I need the AQI.", "get_air_quality", Args(("city", city)),
                    Pick(12, 160, "aqi", city).ToString(CultureInfo.InvariantCulture));
            }
            case 2:
            {
                var (from, to) = TwoDistinct(PerDollar.Keys.ToList());
                var amount = r.Next(5, 500);
                return One($"How much is {amount} {from} in {to}?", "convert_currency",
                    Args(("amount", amount), ("from_currency", from), ("to_currency", to)), Money(ConvertAmount(amount, from, to)));
            }
            case 3:
            {
                var (b, q) = TwoDistinct(PerDollar.Keys.ToList());
                return One($"What is the exchange rate from {b} to {q}?", "get_exchange_rate", Args(("base", b), ("quote", q)),
                    Rate(b, q).ToString("0.0000", CultureInfo.InvariantCulture));
            }
            case 4:
            {
                var pairs = new[] { ("km", "mile"), ("mile", "km"), ("m", "ft"), ("ft", "m"), ("kg", "lb"), ("lb", "kg"), ("g", "oz"), ("oz", "g") };
                var (from, to) = r.Pick(pairs);
                var value = r.Next(1, 300);
                var result = Math.Round(value * Units[from].Factor / Units[to].Factor, 2);
                return One($"Convert {value} {from} to {to}.", "convert_units", Args(("value", value), ("from_unit", from), ("to_unit", to)), Number(result));
            }
            case 5:
            {
                var city = City();
                return One($"What time is it in {city} right now?", "get_local_time", Args(("city", city)), LocalTime(city));
            }
            case 6:
            {
                var (title, date, time, minutes) = (r.Pick(Titles), Date(), Time(), r.Pick(new[] { 15, 30, 45, 60, 90 }));
                return One($"Put \"{title}\" on my calendar on {date} at {time} for {minutes} minutes.", "create_event",
                    Args(("title", title), ("date", date), ("start_time", time), ("duration_minutes", minutes)),
                    $"EVT-{Pick(1000, 9999, "evt", title, date, time)}");
            }
            case 7:
            {
                var date = Date();
                return One($"How many events do I have on {date}?", "list_events", Args(("date", date)), $"{Pick(0, 5, "events", date)} event");
            }
            case 8:
            {
                var (to, subject, body) = (r.Pick(People), r.Pick(Subjects), r.Pick(Bodies));
                return One($"Email {to} with the subject \"{subject}\" and the message \"{body}\".", "send_email",
                    Args(("to", to), ("subject", subject), ("body", body)), $"MSG-{Pick(10000, 99999, "mail", to, subject)}");
            }
            case 9:
            {
                var (o, d) = TwoDistinct(Cities);
                var date = Date();
                return One($"Find me the cheapest flight from {o} to {d} on {date}.", "search_flights",
                    Args(("origin", o), ("destination", d), ("date", date)), $"WS{Pick(100, 999, "flight", o, d, date)}");
            }
            case 10:
            {
                var (city, date, nights, guests) = (City(), Date(), r.Next(1, 8), r.Next(1, 5));
                return One($"Book a hotel in {city} from {date} for {nights} nights for {guests} guests.", "book_hotel",
                    Args(("city", city), ("check_in", date), ("nights", nights), ("guests", guests)),
                    $"HTL-{Pick(100000, 999999, "hotel", city, date, nights, guests)}");
            }
            case 11:
            {
                var symbol = r.Pick(Symbols);
                return One($"What is {symbol} trading at?", "get_stock_price", Args(("symbol", symbol)), Money(StockPrice(symbol)));
            }
            case 12:
            {
                var (text, lang) = (r.Pick(Phrases), r.Pick(Languages));
                return One($"Translate \"{text}\" into {char.ToUpperInvariant(lang[0])}{lang[1..]}.", "translate",
                    Args(("text", text), ("target_language", lang)), string.Join(' ', text.Split(' ').Reverse()));
            }
            case 13:
            {
                var (bill, percent) = (r.Next(10, 300), r.Pick(new[] { 10, 12, 15, 18, 20 }));
                return One($"What is a {percent}% tip on a {bill} dollar bill?", "calculate_tip",
                    Args(("bill_amount", bill), ("tip_percent", percent)), Money(Tip(bill, percent)));
            }
            case 14:
            {
                var (text, time) = (r.Pick(Chores), Time());
                return One($"Remind me to {text} at {time}.", "set_reminder", Args(("text", text), ("time", time)),
                    $"REM-{Pick(100, 999, "rem", text, time)}");
            }
            case 15:
            {
                var (topic, count) = (r.Pick(Topics), r.Next(1, 6));
                return One($"Give me the top {count} {topic} headlines.", "get_news", Args(("topic", topic), ("count", count)), Headline(topic, 1));
            }
            case 16:
            {
                var word = r.Pick(Words);
                return One($"What does \"{word}\" mean?", "define_word", Args(("word", word)), Definition(word)!);
            }
            case 17:
            {
                var country = r.Pick(Countries);
                return One($"What is the population of {country}?", "get_population", Args(("country", country)),
                    Population(country).ToString("N0", CultureInfo.InvariantCulture));
            }
            case 18:
            {
                var (a, b) = TwoDistinct(Cities);
                var unit = r.Pick(new[] { "km", "miles" });
                return One($"How far is it from {a} to {b} in {unit}?", "get_distance",
                    Args(("from_city", a), ("to_city", b), ("unit", unit)), Distance(a, b, unit).ToString(CultureInfo.InvariantCulture));
            }
            case 19:
            {
                var (title, priority) = (r.Pick(Chores), r.Pick(new[] { "low", "medium", "high" }));
                return One($"Add \"{title}\" to my to-do list with {priority} priority.", "create_todo",
                    Args(("title", title), ("priority", priority)), $"TODO-{Pick(100, 999, "todo", title)}");
            }
            case 20:
            {
                var (dish, servings) = (r.Pick(Dishes), r.Next(1, 9));
                return One($"What do I need to make {dish} for {servings} people?", "get_recipe", Args(("dish", dish), ("servings", servings)),
                    $"{Pick(50, 200, "grams", dish) * servings} g");
            }
            case 21:
            {
                var song = r.Pick(Songs);
                return One($"Play {song}.", "play_music", Args(("query", song)), song);
            }
            case 22:
            {
                var restaurant = r.Pick(Restaurants);
                var items = Foods.OrderBy(_ => r.NextUInt64()).Take(r.Next(1, 3)).ToList();
                return One($"Order {string.Join(" and ", items)} from {restaurant}.", "order_food",
                    Args(("restaurant", restaurant), ("items", new JsonArray(items.Select(i => (JsonNode?)i).ToArray()))),
                    $"ORD-{Pick(1000, 9999, "order", restaurant)}");
            }
            case 23:
            {
                var tracking = $"TRK{r.Next(100000, 999999)}";
                return One($"Where is my package {tracking}?", "track_package", Args(("tracking_number", tracking)), PackageStatus(tracking));
            }
            case 24:
            {
                var (from, to) = TwoDistinct(PerDollar.Keys.Where(k => k != "JPY").ToList());
                var (amount, percent) = (r.Next(20, 300), r.Pick(new[] { 10, 15, 20 }));
                var converted = ConvertAmount(amount, from, to);
                return new($"My bill is {amount} {from}. Convert it to {to}, then tell me a {percent}% tip on the converted amount.",
                    [
                        new("convert_currency", Args(("amount", amount), ("from_currency", from), ("to_currency", to))),
                        new("calculate_tip", Args(("bill_amount", converted), ("tip_percent", percent))),
                    ],
                    [Money(Tip(converted, percent))]);
            }
            case 25:
            {
                var city = City();
                int c = Pick(-5, 34, "weather", city);
                return new($"What's the weather and the local time in {city}? Use celsius.",
                    [new("get_weather", Args(("city", city), ("unit", "celsius"))), new("get_local_time", Args(("city", city)))],
                    [c.ToString(CultureInfo.InvariantCulture), LocalTime(city)]);
            }
            default:
            {
                var (o, d) = TwoDistinct(Cities);
                var (date, nights) = (Date(), r.Next(1, 6));
                return new($"Find the cheapest flight from {o} to {d} on {date}, and book a hotel in {d} from that day for {nights} nights for 1 guest.",
                    [
                        new("search_flights", Args(("origin", o), ("destination", d), ("date", date))),
                        new("book_hotel", Args(("city", d), ("check_in", date), ("nights", nights), ("guests", 1))),
                    ],
                    [$"WS{Pick(100, 999, "flight", o, d, date)}", $"HTL-{Pick(100000, 999999, "hotel", d, date, nights, 1)}"]);
            }
        }
    }
}
