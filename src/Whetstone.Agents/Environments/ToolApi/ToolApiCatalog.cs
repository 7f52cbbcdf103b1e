using System.Text.Json;
using Whetstone.Agents.Tools;
using static Whetstone.Agents.Environments.ToolApi.ToolApiWorld;

namespace Whetstone.Agents.Environments.ToolApi;

/// <summary>
/// The 24 tools of the tool-api environment (weather, currency, units, calendar, mail, travel, finance, …) with
/// JSON Schemas and deterministic handlers. Handlers receive arguments the <see cref="ToolBox"/> has already
/// validated against the schema.
/// </summary>
internal static class ToolApiCatalog
{
    private static string Enum(IEnumerable<string> values) => JsonSerializer.Serialize(values);

    private static string S(JsonElement a, string name) => a.GetProperty(name).GetString()!.Trim();
    private static double D(JsonElement a, string name) => a.GetProperty(name).GetDouble();
    private static int I(JsonElement a, string name) => a.GetProperty(name).GetInt32();

    private static ToolDefinition Def(string name, string description, string properties, string required) =>
        ToolDefinition.Create(name, description,
            $$"""{"type":"object","properties":{{{properties}}},"required":[{{required}}],"additionalProperties":false}""");

    /// <summary>Builds a tool box holding every tool.</summary>
    public static ToolBox Create()
    {
        var cities = Enum(Cities);
        var currencies = Enum(PerDollar.Keys);
        var units = Enum(Units.Keys);
        var box = new ToolBox();

        box.Add(Def("get_weather", "Current weather in a city.",
            $$"""  "city":{"type":"string","enum":{{cities}}},"unit":{"type":"string","enum":["celsius","fahrenheit"]}""", "\"city\",\"unit\""),
            a => ToolResult.Ok(Weather(S(a, "city"), S(a, "unit"))));
        box.Add(Def("get_air_quality", "Air quality index (AQI) of a city.",
            $$""" "city":{"type":"string","enum":{{cities}}}""", "\"city\""),
            a => ToolResult.Ok($"AQI in {S(a, "city")}: {Pick(12, 160, "aqi", S(a, "city"))}"));
        box.Add(Def("convert_currency", "Convert an amount between currencies at today's rate.",
            $$""" "amount":{"type":"number","minimum":0},"from_currency":{"type":"string","enum":{{currencies}}},"to_currency":{"type":"string","enum":{{currencies}}}""",
            "\"amount\",\"from_currency\",\"to_currency\""),
            a => ToolResult.Ok($"{Number(D(a, "amount"))} {S(a, "from_currency")} = {Money(ConvertAmount(D(a, "amount"), S(a, "from_currency"), S(a, "to_currency")))} {S(a, "to_currency")}"));
        box.Add(Def("get_exchange_rate", "Units of the quote currency per one unit of the base currency.",
            $$""" "base":{"type":"string","enum":{{currencies}}},"quote":{"type":"string","enum":{{currencies}}}""", "\"base\",\"quote\""),
            a => ToolResult.Ok($"1 {S(a, "base")} = {Rate(S(a, "base"), S(a, "quote")):0.0000} {S(a, "quote")}"));
        box.Add(Def("convert_units", "Convert a length or mass between units.",
            $$""" "value":{"type":"number"},"from_unit":{"type":"string","enum":{{units}}},"to_unit":{"type":"string","enum":{{units}}}""",
            "\"value\",\"from_unit\",\"to_unit\""),
            a => ConvertUnits(D(a, "value"), S(a, "from_unit"), S(a, "to_unit")));
        box.Add(Def("get_local_time", "The current local time in a city.",
            $$""" "city":{"type":"string","enum":{{cities}}}""", "\"city\""),
            a => ToolResult.Ok($"Local time in {S(a, "city")}: {LocalTime(S(a, "city"))}"));
        box.Add(Def("create_event", "Create a calendar event.",
            """ "title":{"type":"string","minLength":1},"date":{"type":"string","description":"YYYY-MM-DD"},"start_time":{"type":"string","description":"HH:MM"},"duration_minutes":{"type":"integer","minimum":5,"maximum":600}""",
            "\"title\",\"date\",\"start_time\",\"duration_minutes\""),
            a => ToolResult.Ok($"Created \"{S(a, "title")}\" on {S(a, "date")} at {S(a, "start_time")} for {I(a, "duration_minutes")} min. Event id: EVT-{Pick(1000, 9999, "evt", S(a, "title"), S(a, "date"), S(a, "start_time"))}"));
        box.Add(Def("list_events", "List calendar events on a date.",
            """ "date":{"type":"string","description":"YYYY-MM-DD"}""", "\"date\""),
            a => ToolResult.Ok($"{Pick(0, 5, "events", S(a, "date"))} events on {S(a, "date")}."));
        box.Add(Def("send_email", "Send an email.",
            """ "to":{"type":"string","minLength":3},"subject":{"type":"string"},"body":{"type":"string"}""", "\"to\",\"subject\",\"body\""),
            a => ToolResult.Ok($"Email sent to {S(a, "to")}. Message id: MSG-{Pick(10000, 99999, "mail", S(a, "to"), S(a, "subject"))}"));
        box.Add(Def("search_flights", "Find the cheapest flight between two cities on a date.",
            $$""" "origin":{"type":"string","enum":{{cities}}},"destination":{"type":"string","enum":{{cities}}},"date":{"type":"string","description":"YYYY-MM-DD"}""",
            "\"origin\",\"destination\",\"date\""),
            a => ToolResult.Ok(Flight(S(a, "origin"), S(a, "destination"), S(a, "date"))));
        box.Add(Def("book_hotel", "Book a hotel room.",
            $$""" "city":{"type":"string","enum":{{cities}}},"check_in":{"type":"string","description":"YYYY-MM-DD"},"nights":{"type":"integer","minimum":1,"maximum":30},"guests":{"type":"integer","minimum":1,"maximum":8}""",
            "\"city\",\"check_in\",\"nights\",\"guests\""),
            a => ToolResult.Ok($"Booked {I(a, "nights")} nights in {S(a, "city")} from {S(a, "check_in")} for {I(a, "guests")}. Confirmation: HTL-{Pick(100000, 999999, "hotel", S(a, "city"), S(a, "check_in"), I(a, "nights"), I(a, "guests"))}"));
        box.Add(Def("get_stock_price", "Latest price of a stock by ticker symbol.",
            $$""" "symbol":{"type":"string","enum":{{Enum(Symbols)}}}""", "\"symbol\""),
            a => ToolResult.Ok($"{S(a, "symbol")}: {Money(StockPrice(S(a, "symbol")))} USD"));
        box.Add(Def("translate", "Translate text into another language.",
            $$""" "text":{"type":"string","minLength":1},"target_language":{"type":"string","enum":{{Enum(Languages)}}}""", "\"text\",\"target_language\""),
            a => ToolResult.Ok($"[{S(a, "target_language")}] {Reverse(S(a, "text"))}"));
        box.Add(Def("calculate_tip", "Tip for a bill at a percentage.",
            """ "bill_amount":{"type":"number","minimum":0},"tip_percent":{"type":"number","minimum":0,"maximum":100}""", "\"bill_amount\",\"tip_percent\""),
            a => ToolResult.Ok($"Tip: {Money(Tip(D(a, "bill_amount"), D(a, "tip_percent")))}"));
        box.Add(Def("set_reminder", "Set a reminder at a time.",
            """ "text":{"type":"string","minLength":1},"time":{"type":"string","description":"HH:MM"}""", "\"text\",\"time\""),
            a => ToolResult.Ok($"Reminder set for {S(a, "time")}. Id: REM-{Pick(100, 999, "rem", S(a, "text"), S(a, "time"))}"));
        box.Add(Def("get_news", "Top headlines on a topic.",
            $$""" "topic":{"type":"string","enum":{{Enum(Topics)}}},"count":{"type":"integer","minimum":1,"maximum":5}""", "\"topic\",\"count\""),
            a => ToolResult.Ok(string.Join("\n", Enumerable.Range(1, I(a, "count")).Select(i => $"{i}. {Headline(S(a, "topic"), i)}"))));
        box.Add(Def("define_word", "Dictionary definition of an English word.",
            """ "word":{"type":"string","minLength":1}""", "\"word\""),
            a => Definition(S(a, "word")) is { } definition
                ? ToolResult.Ok($"{S(a, "word")}: {definition}")
                : ToolResult.Error($"no dictionary entry for \"{S(a, "word")}\""));
        box.Add(Def("get_population", "Population of a country.",
            $$""" "country":{"type":"string","enum":{{Enum(Countries)}}}""", "\"country\""),
            a => ToolResult.Ok($"Population of {S(a, "country")}: {Population(S(a, "country")):N0}"));
        box.Add(Def("get_distance", "Distance between two cities.",
            $$""" "from_city":{"type":"string","enum":{{cities}}},"to_city":{"type":"string","enum":{{cities}}},"unit":{"type":"string","enum":["km","miles"]}""",
            "\"from_city\",\"to_city\",\"unit\""),
            a => ToolResult.Ok($"Distance: {Distance(S(a, "from_city"), S(a, "to_city"), S(a, "unit"))} {S(a, "unit")}"));
        box.Add(Def("create_todo", "Add an item to the to-do list.",
            """ "title":{"type":"string","minLength":1},"priority":{"type":"string","enum":["low","medium","high"]}""", "\"title\",\"priority\""),
            a => ToolResult.Ok($"Added \"{S(a, "title")}\" ({S(a, "priority")}). Id: TODO-{Pick(100, 999, "todo", S(a, "title"))}"));
        box.Add(Def("get_recipe", "Ingredients of a dish scaled to a number of servings.",
            $$""" "dish":{"type":"string","enum":{{Enum(Dishes)}}},"servings":{"type":"integer","minimum":1,"maximum":12}""", "\"dish\",\"servings\""),
            a => ToolResult.Ok(Recipe(S(a, "dish"), I(a, "servings"))));
        box.Add(Def("play_music", "Play a song or artist.",
            """ "query":{"type":"string","minLength":1},"shuffle":{"type":"boolean"}""", "\"query\""),
            a => ToolResult.Ok($"Now playing: {S(a, "query")}{(a.TryGetProperty("shuffle", out var s) && s.GetBoolean() ? " (shuffled)" : "")}"));
        box.Add(Def("order_food", "Order food from a restaurant.",
            """ "restaurant":{"type":"string","minLength":1},"items":{"type":"array","items":{"type":"string"},"minItems":1}""", "\"restaurant\",\"items\""),
            a => ToolResult.Ok($"Order placed at {S(a, "restaurant")} ({a.GetProperty("items").GetArrayLength()} items). Order id: ORD-{Pick(1000, 9999, "order", S(a, "restaurant"))}"));
        box.Add(Def("track_package", "Delivery status of a package.",
            """ "tracking_number":{"type":"string","minLength":6}""", "\"tracking_number\""),
            a => ToolResult.Ok($"Package {S(a, "tracking_number")}: {PackageStatus(S(a, "tracking_number"))}"));
        return box;
    }

    public static string Weather(string city, string unit)
    {
        int celsius = Pick(-5, 34, "weather", city);
        string sky = new[] { "sunny", "cloudy", "rainy", "windy" }[Pick(0, 3, "sky", city)];
        return unit == "fahrenheit" ? $"{city}: {celsius * 9 / 5.0 + 32:0.#} F, {sky}" : $"{city}: {celsius} C, {sky}";
    }

    public static double Rate(string from, string to) => PerDollar[to] / PerDollar[from];

    public static double ConvertAmount(double amount, string from, string to) => Math.Round(amount * Rate(from, to), 2);

    public static ToolResult ConvertUnits(double value, string from, string to)
    {
        var (kindFrom, factorFrom) = Units[from];
        var (kindTo, factorTo) = Units[to];
        if (kindFrom != kindTo)
            return ToolResult.Error($"cannot convert {kindFrom} ({from}) to {kindTo} ({to})");
        return ToolResult.Ok($"{Number(value)} {from} = {Number(Math.Round(value * factorFrom / factorTo, 2))} {to}");
    }

    public static string LocalTime(string city) => $"{Pick(0, 23, "hour", city):00}:{Pick(0, 59, "minute", city):00}";

    public static string Flight(string origin, string destination, string date)
    {
        if (string.Equals(origin, destination, StringComparison.OrdinalIgnoreCase))
            return "No flights: origin and destination are the same.";
        return $"Cheapest flight {origin} to {destination} on {date}: WS{Pick(100, 999, "flight", origin, destination, date)} at {Pick(6, 21, "dep", origin, destination, date):00}:{Pick(0, 11, "depm", date) * 5:00} for {Pick(90, 900, "fare", origin, destination, date)} USD";
    }

    public static double StockPrice(string symbol) => Pick(1000, 50000, "stock", symbol) / 100.0;

    public static double Tip(double bill, double percent) => Math.Round(bill * percent / 100, 2);

    public static long Population(string country) => Pick(2000, 130000, "pop", country) * 1000L;

    public static int Distance(string from, string to, string unit)
    {
        int km = string.Equals(from, to, StringComparison.OrdinalIgnoreCase)
            ? 0
            : Pick(200, 15000, "dist", string.CompareOrdinal(from.ToLowerInvariant(), to.ToLowerInvariant()) < 0 ? from + to : to + from);
        return unit == "miles" ? (int)Math.Round(km / 1.609344) : km;
    }

    public static string Recipe(string dish, int servings)
    {
        int grams = Pick(50, 200, "grams", dish) * servings;
        int eggs = Pick(1, 2, "eggs", dish) * servings;
        return $"{dish} for {servings}: {grams} g main ingredient, {eggs} eggs, salt to taste";
    }

    public static string Headline(string topic, int i) =>
        $"{topic} story {Pick(10, 99, "news", topic, i)}: {new[] { "record", "surprise", "update", "breakthrough" }[Pick(0, 3, "kind", topic, i)]}";

    private static readonly string[] Definitions =
        ["lasting a very short time", "fond of company", "clear and easy to understand", "showing great attention to detail", "saying little", "the highest point"];

    /// <summary>The definition of one of <see cref="ToolApiWorld.Words"/>, or null for a word the dictionary lacks.</summary>
    public static string? Definition(string word)
    {
        var i = Array.FindIndex(Words, w => string.Equals(w, word.Trim(), StringComparison.OrdinalIgnoreCase));
        return i < 0 ? null : Definitions[i];
    }

    public static string PackageStatus(string tracking) =>
        new[] { "in transit", "out for delivery", "delivered", "held at depot" }[Pick(0, 3, "pkg", tracking)];

    private static string Reverse(string text) => string.Join(' ', text.Split(' ').Reverse());
}
