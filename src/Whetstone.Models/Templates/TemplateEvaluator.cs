using System.Globalization;
using System.Text;

namespace Whetstone.Models.Templates;

/// <summary>
/// Walks the template AST and writes the output. Values follow Python semantics (see
/// <see cref="PyValue"/>); errors without a position get the position of the innermost node that
/// was being evaluated.
/// </summary>
internal sealed class TemplateEvaluator
{
    private enum Flow { Normal, Break, Continue }

    private readonly TimeProvider _time;
    private int _loopDepth;

    public TemplateEvaluator(TimeProvider time) => _time = time;

    public string Render(IReadOnlyList<Node> body, IReadOnlyDictionary<string, object?> variables)
    {
        var globals = new Scope(null);
        foreach (var (name, fn) in Globals()) globals.Set(name, fn);
        var root = new Scope(globals);
        foreach (var (k, v) in variables) root.Set(k, v);
        var sb = new StringBuilder();
        var flow = Exec(body, root, sb);
        if (flow != Flow.Normal) throw new TemplateException("'break'/'continue' outside a for-loop");
        return sb.ToString();
    }

    private IEnumerable<(string, JinjaFunction)> Globals()
    {
        yield return ("range", new JinjaFunction("range", (a, _) => Range(a)));
        yield return ("namespace", new JinjaFunction("namespace", (a, k) =>
        {
            var ns = new JinjaNamespace();
            foreach (var arg in a)
                if (arg is OrderedDictionary<string, object?> init) foreach (var (key, val) in init) ns.Attributes[key] = val;
                else throw new TemplateException("namespace() takes keyword arguments or a mapping");
            foreach (var (key, val) in k) ns.Attributes[key] = val;
            return ns;
        }));
        yield return ("dict", new JinjaFunction("dict", (a, k) =>
        {
            var d = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
            foreach (var arg in a)
                if (arg is OrderedDictionary<string, object?> init) foreach (var (key, val) in init) d[key] = val;
            foreach (var (key, val) in k) d[key] = val;
            return d;
        }));
        yield return ("raise_exception", new JinjaFunction("raise_exception", (a, _) =>
            throw new TemplateException(a.Count > 0 ? PyValue.ToStr(a[0]) : "raise_exception() called")));
        yield return ("strftime_now", new JinjaFunction("strftime_now", (a, _) =>
            PyStrftime.Format(_time.GetLocalNow(), a.Count > 0 ? PyValue.ToStr(a[0]) : throw new TemplateException("strftime_now() needs a format"))));
    }

    private static List<object?> Range(IReadOnlyList<object?> a)
    {
        long start = 0, stop, step = 1;
        if (a.Count == 1) stop = PyValue.ToLong(a[0]);
        else if (a.Count is 2 or 3)
        {
            start = PyValue.ToLong(a[0]);
            stop = PyValue.ToLong(a[1]);
            if (a.Count == 3) step = PyValue.ToLong(a[2]);
        }
        else throw new TemplateException("range() takes 1 to 3 arguments");
        if (step == 0) throw new TemplateException("range() arg 3 must not be zero");
        var result = new List<object?>();
        for (long i = start; step > 0 ? i < stop : i > stop; i += step)
        {
            result.Add(i);
            if (result.Count > 1_000_000) throw new TemplateException("range() too large");
        }
        return result;
    }

    // ---- statements ----

    private Flow Exec(IReadOnlyList<Node> body, Scope scope, StringBuilder sb)
    {
        foreach (var node in body)
        {
            var flow = ExecNode(node, scope, sb);
            if (flow != Flow.Normal) return flow;
        }
        return Flow.Normal;
    }

    private Flow ExecNode(Node node, Scope scope, StringBuilder sb)
    {
        try
        {
            switch (node)
            {
                case TextNode t: sb.Append(t.Text); return Flow.Normal;
                case OutputNode o: sb.Append(PyValue.ToStr(Eval(o.Value, scope))); return Flow.Normal;
                case IfNode i:
                    foreach (var (cond, branch) in i.Branches)
                        if (PyValue.IsTruthy(Eval(cond, scope))) return Exec(branch, scope, sb);
                    return i.Else != null ? Exec(i.Else, scope, sb) : Flow.Normal;
                case ForNode f: ExecFor(f, scope, sb); return Flow.Normal;
                case SetNode s: Assign(s.Target, Eval(s.Value, scope), scope, s.Position); return Flow.Normal;
                case SetBlockNode sbn:
                    {
                        var inner = new StringBuilder();
                        RequireNormal(Exec(sbn.Body, new Scope(scope), inner), sbn.Position);
                        object? value = inner.ToString();
                        foreach (var (name, args, pos) in sbn.Filters)
                            value = ApplyFilter(name, value, args, scope, pos);
                        Assign(sbn.Target, value, scope, sbn.Position);
                        return Flow.Normal;
                    }
                case MacroNode m: scope.Set(m.Name, MakeMacro(m, scope)); return Flow.Normal;
                case FilterBlockNode fb:
                    {
                        var inner = new StringBuilder();
                        RequireNormal(Exec(fb.Body, new Scope(scope), inner), fb.Position);
                        sb.Append(PyValue.ToStr(ApplyFilter(fb.Name, inner.ToString(), fb.Args, scope, fb.Position)));
                        return Flow.Normal;
                    }
                case WithNode w:
                    {
                        var inner = new Scope(scope);
                        foreach (var (name, value) in w.Assignments) inner.Set(name, Eval(value, scope));
                        return Exec(w.Body, inner, sb);
                    }
                case PassThroughNode p: return Exec(p.Body, scope, sb);
                case BreakNode b:
                    if (_loopDepth == 0) throw b.Position.Error("'break' outside a for-loop");
                    return Flow.Break;
                case ContinueNode c:
                    if (_loopDepth == 0) throw c.Position.Error("'continue' outside a for-loop");
                    return Flow.Continue;
                default: throw node.Position.Error($"unsupported node {node.GetType().Name}");
            }
        }
        catch (TemplateException e) when (e.Line == 0)
        {
            throw new TemplateException(e.Reason, node.Position.Line, node.Position.Column, e);
        }
        catch (Exception e) when (e is not TemplateException && e.InnerException is TemplateException inner)
        {
            // e.g. a sort comparer's TypeError arrives wrapped in InvalidOperationException.
            throw new TemplateException(inner.Reason, inner.Line > 0 ? inner.Line : node.Position.Line, inner.Line > 0 ? inner.Column : node.Position.Column, inner);
        }
        catch (Exception e) when (e is InvalidCastException or ArgumentException or InvalidOperationException or OverflowException or IndexOutOfRangeException or FormatException)
        {
            throw new TemplateException($"{e.GetType().Name}: {e.Message}", node.Position.Line, node.Position.Column, e);
        }
    }

    private static void RequireNormal(Flow flow, SourcePosition at)
    {
        if (flow != Flow.Normal) throw at.Error("'break'/'continue' cannot leave a captured block");
    }

    private void ExecFor(ForNode f, Scope scope, StringBuilder sb)
    {
        var source = PyValue.Iterate(Eval(f.Iterable, scope));
        var items = new List<object?>();
        foreach (var item in source)
        {
            if (f.Filter != null)
            {
                var probe = new Scope(scope);
                BindTargets(f.Targets, item, probe);
                if (!PyValue.IsTruthy(Eval(f.Filter, probe))) continue;
            }
            items.Add(item);
        }
        if (items.Count == 0)
        {
            if (f.Else != null) RequireNormalOrLoop(Exec(f.Else, scope, sb));
            return;
        }
        var loop = new LoopContext(items, depth: 1); // loop.depth counts recursive-loop levels; recursive loops are not supported
        _loopDepth++;
        try
        {
            for (int i = 0; i < items.Count; i++)
            {
                loop.Index0 = i;
                var iteration = new Scope(scope);
                iteration.Set("loop", loop);
                BindTargets(f.Targets, items[i], iteration);
                if (Exec(f.Body, iteration, sb) == Flow.Break) break;
            }
        }
        finally { _loopDepth--; }
    }

    private static void RequireNormalOrLoop(Flow flow)
    {
        if (flow != Flow.Normal) throw new TemplateException("'break'/'continue' in a for-loop's else block");
    }

    private static void BindTargets(IReadOnlyList<string> targets, object? item, Scope scope)
    {
        if (targets.Count == 1) { scope.Set(targets[0], item); return; }
        var parts = PyValue.Iterate(item);
        if (parts.Count != targets.Count)
            throw new TemplateException($"cannot unpack {parts.Count} values into {targets.Count} loop variables");
        for (int i = 0; i < targets.Count; i++) scope.Set(targets[i], parts[i]);
    }

    private static void Assign(SetTarget target, object? value, Scope scope, SourcePosition at)
    {
        if (target.Attribute != null)
        {
            if (!scope.TryGet(target.Names[0], out var obj) || obj is not JinjaNamespace ns)
                throw at.Error($"cannot assign attribute '{target.Attribute}' on '{target.Names[0]}': only namespace() objects can be changed");
            ns.Attributes[target.Attribute] = value;
            return;
        }
        if (target.Names.Count == 1) { scope.Set(target.Names[0], value); return; }
        BindTargets(target.Names, value, scope);
    }

    private JinjaFunction MakeMacro(MacroNode m, Scope definitionScope) => new(m.Name, (args, kwargs) =>
    {
        if (args.Count > m.Parameters.Count)
            throw new TemplateException($"macro '{m.Name}' takes {m.Parameters.Count} arguments, got {args.Count}");
        var scope = new Scope(definitionScope);
        var used = new HashSet<string>();
        for (int i = 0; i < m.Parameters.Count; i++)
        {
            var (name, fallback) = m.Parameters[i];
            if (i < args.Count) scope.Set(name, args[i]);
            else if (kwargs.TryGetValue(name, out var kv)) scope.Set(name, kv);
            else scope.Set(name, fallback != null ? Eval(fallback, scope) : new Undefined($"parameter '{name}' was not provided"));
            used.Add(name);
        }
        foreach (var key in kwargs.Keys)
            if (!used.Contains(key)) throw new TemplateException($"macro '{m.Name}' got an unexpected keyword argument '{key}'");
        var sb = new StringBuilder();
        int saved = _loopDepth;
        _loopDepth = 0;
        try { RequireNormal(Exec(m.Body, scope, sb), m.Position); }
        finally { _loopDepth = saved; }
        return sb.ToString();
    });

    // ---- expressions ----

    public object? Eval(Expr expr, Scope scope)
    {
        try
        {
            return EvalCore(expr, scope);
        }
        catch (TemplateException e) when (e.Line == 0)
        {
            throw new TemplateException(e.Reason, expr.Position.Line, expr.Position.Column, e);
        }
    }

    private object? EvalCore(Expr expr, Scope scope)
    {
        switch (expr)
        {
            case LiteralExpr l: return l.Value;
            case NameExpr n: return scope.TryGet(n.Name, out var v) ? v : new Undefined($"'{n.Name}' is undefined");
            case ListExpr l: return l.Items.Select(i => Eval(i, scope)).ToList();
            case TupleExpr t: return t.Items.Select(i => Eval(i, scope)).ToArray();
            case DictExpr d:
                {
                    var dict = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
                    foreach (var (k, val) in d.Pairs)
                    {
                        var key = Eval(k, scope) as string ?? throw k.Position.Error("only string keys are supported in dict literals");
                        dict[key] = Eval(val, scope);
                    }
                    return dict;
                }
            case AttributeExpr a: return ValueAccess.GetAttribute(Eval(a.Target, scope), a.Name);
            case ItemExpr i: return ValueAccess.GetItem(Eval(i.Target, scope), Eval(i.Key, scope));
            case SliceExpr s:
                return ValueAccess.Slice(Eval(s.Target, scope), OptionalInt(s.Start, scope), OptionalInt(s.Stop, scope), OptionalInt(s.Step, scope));
            case CallExpr c:
                {
                    var callee = Eval(c.Callee, scope);
                    var (args, kwargs) = EvalArguments(c.Args, scope);
                    return callee switch
                    {
                        JinjaFunction f => f.Invoke(args, kwargs),
                        Undefined u => throw new TemplateException(u.Hint),
                        _ => throw new TemplateException($"'{PyValue.TypeName(callee)}' object is not callable"),
                    };
                }
            case FilterExpr f: return ApplyFilter(f.Name, Eval(f.Target, scope), f.Args, scope, f.Position);
            case TestExpr t:
                {
                    var value = Eval(t.Target, scope);
                    var (args, _) = EvalArguments(t.Args, scope);
                    return TemplateTests.Apply(t.Name, value, args) != t.Negated;
                }
            case UnaryExpr u:
                {
                    var value = Eval(u.Operand, scope);
                    return u.Op switch
                    {
                        "not" => !PyValue.IsTruthy(value),
                        "-" => value switch
                        {
                            long l => (object)(-l),
                            double dd => -dd,
                            bool b => b ? -1L : 0L,
                            Undefined un => throw new TemplateException(un.Hint),
                            _ => throw new TemplateException($"bad operand type for unary -: '{PyValue.TypeName(value)}'"),
                        },
                        _ => PyValue.IsNumber(value) ? value is bool b2 ? (object)(b2 ? 1L : 0L) : value
                            : throw new TemplateException($"bad operand type for unary +: '{PyValue.TypeName(value)}'"),
                    };
                }
            case BinaryExpr b: return EvalBinary(b, scope);
            case ConditionalExpr c:
                return PyValue.IsTruthy(Eval(c.Condition, scope)) ? Eval(c.Then, scope)
                    : c.Otherwise != null ? Eval(c.Otherwise, scope) : new Undefined("the conditional expression had no else branch");
            default: throw expr.Position.Error($"unsupported expression {expr.GetType().Name}");
        }
    }

    private long? OptionalInt(Expr? e, Scope scope)
    {
        if (e == null) return null;
        var v = Eval(e, scope);
        return v is null ? null : PyValue.ToLong(v);
    }

    private (List<object?>, Dictionary<string, object?>) EvalArguments(Arguments args, Scope scope)
    {
        var positional = args.Positional.Select(p => Eval(p, scope)).ToList();
        var keyword = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, value) in args.Keyword) keyword[name] = Eval(value, scope);
        return (positional, keyword);
    }

    private object? ApplyFilter(string name, object? value, Arguments args, Scope scope, SourcePosition at)
    {
        var (a, k) = EvalArguments(args, scope);
        try { return TemplateFilters.Apply(name, value, a, k); }
        catch (TemplateException e) when (e.Line == 0)
        {
            throw new TemplateException($"filter '{name}': {e.Reason}", at.Line, at.Column, e);
        }
    }

    private object? EvalBinary(BinaryExpr b, Scope scope)
    {
        if (b.Op == "and")
        {
            var left = Eval(b.Left, scope);
            return PyValue.IsTruthy(left) ? Eval(b.Right, scope) : left;
        }
        if (b.Op == "or")
        {
            var left = Eval(b.Left, scope);
            return PyValue.IsTruthy(left) ? left : Eval(b.Right, scope);
        }
        var l = Eval(b.Left, scope);
        var r = Eval(b.Right, scope);
        return b.Op switch
        {
            "==" => PyValue.PyEquals(l, r),
            "!=" => !PyValue.PyEquals(l, r),
            "<" => PyValue.Compare(Defined(l), Defined(r), "<") < 0,
            "<=" => PyValue.Compare(Defined(l), Defined(r), "<=") <= 0,
            ">" => PyValue.Compare(Defined(l), Defined(r), ">") > 0,
            ">=" => PyValue.Compare(Defined(l), Defined(r), ">=") >= 0,
            "in" => PyOperators.Contains(r, l),
            "not in" => !PyOperators.Contains(r, l),
            "~" => PyValue.ToStr(l) + PyValue.ToStr(r),
            _ => PyOperators.Arithmetic(b.Op, l, r),
        };
    }

    private static object? Defined(object? v) => v is Undefined u ? throw new TemplateException(u.Hint) : v;

}
