using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Reflection.Emit;

namespace DropboxProvisioning.Engine.Tests.Architecture
{
    /// <summary>
    /// Which of an assembly's namespaces use which, read from the built assembly: base types, interfaces,
    /// fields, properties, events, method signatures, attributes, and the types, fields and methods that
    /// method bodies refer to (their IL tokens resolved). Compiler-generated types (lambdas' closures, async
    /// state machines, iterators) count for the namespace that holds them.
    /// </summary>
    internal sealed class NamespaceGraph
    {
        private const BindingFlags Everything = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        private static readonly Dictionary<short, OpCode> OneByte = new Dictionary<short, OpCode>();
        private static readonly Dictionary<short, OpCode> TwoByte = new Dictionary<short, OpCode>();

        static NamespaceGraph()
        {
            foreach (var field in typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static))
            {
                var code = (OpCode)field.GetValue(null);
                if (code.Size == 1) OneByte[code.Value] = code;
                else TwoByte[(short)(code.Value & 0xff)] = code;
            }
        }

        private readonly Assembly _assembly;

        /// <summary>Namespace → the namespaces of this assembly it refers to (itself excluded), with one example each.</summary>
        public Dictionary<string, Dictionary<string, string>> Edges { get; } = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);

        public NamespaceGraph(Assembly assembly)
        {
            _assembly = assembly;
            foreach (var type in assembly.GetTypes()) Visit(type);
        }

        public IEnumerable<string> Namespaces => Edges.Keys;

        private void Visit(Type type)
        {
            var from = NamespaceOf(type);
            if (from == null) return;
            if (!Edges.ContainsKey(from)) Edges[from] = new Dictionary<string, string>(StringComparer.Ordinal);
            var where = type.FullName;
            Use(from, type.BaseType, where + " : base");
            foreach (var i in type.GetInterfaces()) Use(from, i, where + " : interface");
            foreach (var a in type.GetCustomAttributesData()) Use(from, a.AttributeType, where + " [attribute]");
            foreach (var f in type.GetFields(Everything))
            {
                Use(from, f.FieldType, where + "." + f.Name);
                foreach (var a in f.GetCustomAttributesData()) UseAttribute(from, a, where + "." + f.Name);
            }
            foreach (var p in type.GetProperties(Everything))
            {
                Use(from, p.PropertyType, where + "." + p.Name);
                foreach (var a in p.GetCustomAttributesData()) UseAttribute(from, a, where + "." + p.Name);
            }
            foreach (var e in type.GetEvents(Everything)) Use(from, e.EventHandlerType, where + "." + e.Name);
            foreach (var m in type.GetMethods(Everything).Cast<MethodBase>().Concat(type.GetConstructors(Everything)))
            {
                var at = where + "." + m.Name;
                if (m is MethodInfo info) Use(from, info.ReturnType, at + " (returns)");
                foreach (var p in m.GetParameters()) Use(from, p.ParameterType, at + " (" + p.Name + ")");
                foreach (var a in m.GetCustomAttributesData()) UseAttribute(from, a, at);
                var body = m.GetMethodBody();
                if (body == null) continue;
                foreach (var local in body.LocalVariables) Use(from, local.LocalType, at + " (local)");
                foreach (var clause in body.ExceptionHandlingClauses)
                    if (clause.Flags == ExceptionHandlingClauseOptions.Clause) Use(from, clause.CatchType, at + " (catch)");
                foreach (var member in BodyReferences(m, body.GetILAsByteArray())) UseMember(from, member, at + " (body)");
            }
        }

        private void UseAttribute(string from, CustomAttributeData attribute, string where)
        {
            Use(from, attribute.AttributeType, where + " [attribute]");
            foreach (var argument in attribute.ConstructorArguments)
                if (argument.Value is Type t) Use(from, t, where + " [attribute argument]");
        }

        private void UseMember(string from, MemberInfo member, string where)
        {
            switch (member)
            {
                case Type t: Use(from, t, where); break;
                case FieldInfo f: Use(from, f.DeclaringType, where); Use(from, f.FieldType, where); break;
                case MethodBase m:
                    Use(from, m.DeclaringType, where);
                    if (m is MethodInfo mi)
                    {
                        Use(from, mi.ReturnType, where);
                        if (mi.IsGenericMethod) foreach (var g in mi.GetGenericArguments()) Use(from, g, where);
                    }
                    foreach (var p in m.GetParameters()) Use(from, p.ParameterType, where);
                    break;
            }
        }

        private void Use(string from, Type type, string where)
        {
            if (type == null) return;
            if (type.HasElementType) { Use(from, type.GetElementType(), where); return; }
            if (type.IsGenericType && !type.IsGenericTypeDefinition)
            {
                foreach (var argument in type.GetGenericArguments()) Use(from, argument, where);
                type = type.GetGenericTypeDefinition();
            }
            if (type.IsGenericParameter || type.Assembly != _assembly) return;
            var to = NamespaceOf(type);
            if (to == null || to == from) return;
            if (!Edges[from].ContainsKey(to)) Edges[from][to] = where + " uses " + type.FullName;
        }

        /// <summary>The namespace a type belongs to; a nested (or compiler-generated nested) type belongs to its outermost type's.</summary>
        private static string NamespaceOf(Type type)
        {
            while (type.DeclaringType != null) type = type.DeclaringType;
            if (type.Namespace == null) return null; // <Module>, <PrivateImplementationDetails>
            return type.Namespace;
        }

        /// <summary>The members a method body's IL refers to by token.</summary>
        private static IEnumerable<MemberInfo> BodyReferences(MethodBase method, byte[] il)
        {
            var module = method.Module;
            var typeArguments = method.DeclaringType != null && method.DeclaringType.IsGenericType ? method.DeclaringType.GetGenericArguments() : null;
            var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
            var position = 0;
            while (position < il.Length)
            {
                OpCode code;
                if (il[position] == 0xFE) { code = TwoByte[il[position + 1]]; position += 2; }
                else { code = OneByte[il[position]]; position += 1; }
                switch (code.OperandType)
                {
                    case OperandType.InlineNone: break;
                    case OperandType.ShortInlineBrTarget: case OperandType.ShortInlineI: case OperandType.ShortInlineVar: position += 1; break;
                    case OperandType.InlineVar: position += 2; break;
                    case OperandType.InlineBrTarget: case OperandType.InlineI: case OperandType.ShortInlineR: case OperandType.InlineString: case OperandType.InlineSig: position += 4; break;
                    case OperandType.InlineI8: case OperandType.InlineR: position += 8; break;
                    case OperandType.InlineSwitch: position += 4 + BitConverter.ToInt32(il, position) * 4; break;
                    case OperandType.InlineField: case OperandType.InlineMethod: case OperandType.InlineTok: case OperandType.InlineType:
                        var token = BitConverter.ToInt32(il, position);
                        position += 4;
                        MemberInfo member = null;
                        try { member = module.ResolveMember(token, typeArguments, methodArguments); }
                        catch (ArgumentException) { } // a token into another module's generic context: its types are in the signature anyway
                        if (member != null) yield return member;
                        break;
                    default: throw new InvalidOperationException($"Unknown operand type {code.OperandType} in {method.DeclaringType}.{method.Name}");
                }
            }
        }

        /// <summary>Every cycle of namespaces (strongly connected components of more than one namespace), each with the edges that close it.</summary>
        public List<List<string>> Cycles()
        {
            var index = 0;
            var indices = new Dictionary<string, int>();
            var low = new Dictionary<string, int>();
            var stack = new Stack<string>();
            var onStack = new HashSet<string>();
            var components = new List<List<string>>();

            void Connect(string v)
            {
                indices[v] = low[v] = index++;
                stack.Push(v); onStack.Add(v);
                foreach (var w in Edges.TryGetValue(v, out var to) ? to.Keys : Enumerable.Empty<string>())
                {
                    if (!indices.ContainsKey(w)) { Connect(w); low[v] = Math.Min(low[v], low[w]); }
                    else if (onStack.Contains(w)) low[v] = Math.Min(low[v], indices[w]);
                }
                if (low[v] != indices[v]) return;
                var component = new List<string>();
                string x;
                do { x = stack.Pop(); onStack.Remove(x); component.Add(x); } while (x != v);
                if (component.Count > 1) components.Add(component);
            }

            foreach (var v in Edges.Keys.OrderBy(k => k, StringComparer.Ordinal).ToList()) if (!indices.ContainsKey(v)) Connect(v);
            return components;
        }

        /// <summary>A cycle as text: every edge inside it with the example that made it.</summary>
        public string Describe(List<string> component)
        {
            var set = new HashSet<string>(component);
            return string.Join("\n", component.OrderBy(c => c, StringComparer.Ordinal).SelectMany(from =>
                Edges[from].Where(e => set.Contains(e.Key)).Select(e => $"  {from} -> {e.Key}: {e.Value}")));
        }
    }
}
