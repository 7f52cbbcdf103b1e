using System.Text;
using Spectre.Console;

namespace Whetstone.Cli.Progress;

/// <summary>
/// Stands in for <see cref="Console.Out"/> and <see cref="Console.Error"/> while a live display runs: whole lines go
/// through the Spectre console, which prints them above the bars instead of through them.
/// </summary>
internal sealed class ConsoleLineForwarder(IAnsiConsole console) : TextWriter
{
    private readonly Lock _gate = new();
    private readonly StringBuilder _pending = new();

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        lock (_gate)
        {
            if (value == '\n')
                EmitPending();
            else if (value != '\r')
                _pending.Append(value);
        }
    }

    public override void Write(string? value)
    {
        if (value is null) return;
        lock (_gate)
            foreach (char c in value)
                Write(c);
    }

    public override void Flush()
    {
        lock (_gate)
            if (_pending.Length > 0)
                EmitPending();
    }

    private void EmitPending()
    {
        console.WriteLine(_pending.ToString(), Style.Plain);
        _pending.Clear();
    }
}
