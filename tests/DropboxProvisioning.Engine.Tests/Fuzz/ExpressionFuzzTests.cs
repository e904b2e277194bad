using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using DropboxProvisioning.Mapping.Expressions;
using Xunit;
using Xunit.Abstractions;

namespace DropboxProvisioning.Engine.Tests.Fuzz
{
    /// <summary>
    /// The expression language under random and mutated input: parsing and evaluating may only return or throw
    /// <see cref="ExpressionException"/> (IgnoreFlow is a result), never another exception, never hang.
    /// </summary>
    public sealed class ExpressionFuzzTests
    {
        private readonly ITestOutputHelper _output;
        public ExpressionFuzzTests(ITestOutputHelper output) { _output = output; }

        /// <summary>The documented examples (Microsoft's reference for attribute-mapping expressions), the mutation corpus.</summary>
        internal static readonly string[] Examples =
        {
            "Append([userPrincipalName], \".test\")",
            "BitAnd(&HF, &HF7)",
            "CBool([attribute1] = [attribute2])",
            "CDate([StatusHireDate])",
            "CDate(\"2021-06-30+08:00\")",
            "CDate(\"2009-06-15T01:45:30-07:00\")",
            "Coalesce([mail],[userPrincipalName])",
            "ConvertToBase64(\"Hello world!\")",
            "ConvertToUTF8Hex(\"Hello world!\")",
            "CStr([dn])",
            "Count([proxyAddresses])",
            "DateAdd(\"d\", 7, CDate([StatusHireDate]))",
            "DateDiff(\"d\", Now(), CDate([StatusHireDate]))",
            "DateFromNum([lastLogonTimestamp])",
            "FormatDateTime([extensionAttribute1], , \"yyyyMMddHHmmss.fZ\", \"yyyy-MM-dd\")",
            "IgnoreFlowIfNullOrEmpty(Switch([prefix], \"\", \"3443\", \"Dr.\", \"3444\", \"Prof.\", \"3445\", \"Prof. Dr.\"))",
            "IIF([country]=\"USA\",IIF([state]=\"CA\",\"True\",\"False\"),\"False\")",
            "Switch([country],[country],\"\",\"Other\")",
            "InStr(\"repEated\",\"e\",3,vbBinaryCompare)",
            "IsNullOrEmpty([displayName])",
            "IsPresent([directManager])",
            "IsString([displayName])",
            "Item([proxyAddresses], 1)",
            "Join(\", \", \"\", [surname], [givenName])",
            "Left(\"John Doe\", 3)",
            "Append(Mid([givenName], 1, 3), Mid([surname], 1, 5))",
            "NormalizeDiacritics([givenName])",
            "Not([accountEnabled])",
            "NumFromDate(Join(\"\", FormatDateTime([ContractEndDate], ,\"yyyy-MM-ddzzz\", \"yyyy-MM-dd\"), \" 23:59:59-08:00\"))",
            "PCase([lastName],\" '-\")",
            "RandomString(6,3,0,0,3)",
            "RandomString(10,2,2,2,1,\"?,\")",
            "Redact([userPrincipalName])",
            "RemoveDuplicates([proxyAddresses])",
            "Replace([BusinessTitle],\"Product Developer\", , , \"Software Engineer\", , )",
            "Replace([telephoneNumber], , \"\\\\+(?<isdCode>\\\\d* )(?<phoneNumber>\\\\d{10})\", , \"${phoneNumber}\", , )",
            "Replace([mobile], , \"[()\\\\s-]+\", , \"\", , )",
            "Replace([userPrincipalName], , \"(?<Suffix>@(.)*)\", \"Suffix\", \"\", , )",
            "SelectUniqueValue(Join(\"@\", NormalizeDiacritics(StripSpaces([FirstName])), \"contoso.com\"), Join(\"@\", NormalizeDiacritics(StripSpaces(Mid([FirstName], 1, 1))), \"contoso.com\"))",
            "SingleAppRoleAssignment([appRoleAssignments])",
            "AppRoleAssignmentsComplex([appRoleAssignments])",
            "Split([extensionAttribute5], \",\")",
            "StripSpaces([userPrincipalName])",
            "ToLower([userPrincipalName], \"tr-TR\")",
            "ToUpper(Mid([givenName], 1, 1))",
            "Word(\"The quick brown fox\", 3, \" \")",
            "[department] <> \"Sales\"",
            "IIF(IsPresent([mail]), [mail], [userPrincipalName])",
        };

        private static readonly string[] Attributes = { "userPrincipalName", "mail", "givenName", "surname", "displayName", "department", "proxyAddresses", "accountEnabled", "appRoleAssignments", "StatusHireDate", "lastLogonTimestamp", "x" };
        private static readonly string[] Operators = { " = ", " <> ", " > ", " >= ", " < ", " <= ", "=", "<>" };
        private static readonly string[] Literals =
        {
            "\"\"", "\"a\"", "\" \"", "\"Zoë Ünal\"", "\"2021-06-30+08:00\"", "\"20150123105347.1Z\"", "\"yyyy-MM-dd\"", "\"d\"", "\"yyyy\"", "\"m\"",
            "\"(\"", "\"[a-z]+\"", "\"(a+)+$\"", "\"\\\\\"", "\"\\\"\"", "\"tr-TR\"", "\"xx-INVALID\"", "\"${x}\"", "\"$1\"", "\"\\u0000\"",
            "0", "1", "-1", "3", "10", "999", "2147483648", "-9223372036854775808", "9223372036854775807", "129699324000000000", "&HF", "&H7FFFFFFFFFFFFFFF", "&HFFFFFFFFFFFFFFFFF",
            "vbBinaryCompare", "vbTextCompare", "True", "False",
        };

        private static string Generate(Random random, int depth)
        {
            var functions = ExpressionFunctions.All;
            if (depth > 4 || random.NextDouble() < 0.3)
            {
                switch (random.Next(4))
                {
                    case 0: return "[" + Attributes[random.Next(Attributes.Length)] + "]";
                    case 1: return Literals[random.Next(Literals.Count())];
                    case 2: return random.Next(-5, 50).ToString();
                    default: return "\"" + RandomText(random, 12).Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
                }
            }
            if (random.NextDouble() < 0.15)
                return Generate(random, depth + 1) + Operators[random.Next(Operators.Length)] + Generate(random, depth + 1);
            var function = functions[random.Next(functions.Count)];
            var max = Math.Min(function.MaxArgs, function.MinArgs + 4);
            var count = random.NextDouble() < 0.1 ? random.Next(0, max + 2) : random.Next(function.MinArgs, max + 1);
            var args = Enumerable.Range(0, count).Select(_ => random.NextDouble() < 0.08 ? "" : Generate(random, depth + 1));
            return function.Name + "(" + string.Join(random.NextDouble() < 0.5 ? ", " : ",", args) + ")";
        }

        private static string RandomText(Random random, int max)
        {
            const string alphabet = "abcXYZ019 .,;:-_@()[]{}\"\\/'*+?|^$#&%!~`éÖßø王芳سارة\u0301\u200b\t\n";
            var builder = new StringBuilder();
            var length = random.Next(0, max + 1);
            for (var i = 0; i < length; i++) builder.Append(alphabet[random.Next(alphabet.Length)]);
            if (random.NextDouble() < 0.02) builder.Append('\uD800'); // a lone surrogate
            return builder.ToString();
        }

        private static object RandomValue(Random random)
        {
            switch (random.Next(10))
            {
                case 0: return null;
                case 1: return "";
                case 2: return (long)random.Next(-1000, 1000) * (random.NextDouble() < 0.1 ? 1_000_000_000_000L : 1);
                case 3: return random.NextDouble() < 0.5;
                case 4: return Enumerable.Range(0, random.Next(0, 4)).Select(_ => RandomText(random, 8)).ToList();
                case 5: return new[] { "2021-06-30+08:00", "20150123105347.1Z", "12/31/2020 05:00:00 PM", "not a date", "9999-12-31T23:59:59Z", "0001-01-01" }[random.Next(6)];
                case 6: return new List<RoleValue> { new RoleValue(true, "User", "User", Guid.Empty.ToString()) };
                case 7: return new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(random.Next(-100000, 100000));
                default: return RandomText(random, 30);
            }
        }

        private static int _parsed, _evaluated;

        private static string RunOne((string Text, DictionaryAttributeSource Source, int Seed) input)
        {
            ParsedExpression parsed;
            try { parsed = ExpressionParser.Parse(input.Text); }
            catch (ExpressionException) { return null; }
            System.Threading.Interlocked.Increment(ref _parsed);
            try
            {
                parsed.Evaluate(input.Source, new ExpressionContext
                {
                    Clock = () => new DateTimeOffset(2021, 7, 2, 15, 33, 38, TimeSpan.Zero),
                    Random = new Random(input.Seed),
                    IsValueUnique = v => v == null || v.Length % 2 == 0,
                });
                System.Threading.Interlocked.Increment(ref _evaluated);
            }
            catch (ExpressionException) { }
            return null;
        }

        private static DictionaryAttributeSource Source(Random random)
        {
            var source = new DictionaryAttributeSource();
            foreach (var name in Attributes)
                if (random.NextDouble() < 0.8) source[name] = RandomValue(random);
            return source;
        }

        private void Check(string suite, int count, Func<Random, string> text)
        {
            System.Threading.Interlocked.Exchange(ref _parsed, 0);
            System.Threading.Interlocked.Exchange(ref _evaluated, 0);
            var findings = FuzzRunner.Run(suite, count,
                i => { var random = new Random(1000 + i); return (Text: text(random), Source: Source(random), Seed: i); },
                RunOne,
                c => FuzzRunner.Show(c.Text) + " with " + string.Join(", ", Attributes.Select(a => c.Source.TryGetValue(a, out var v) ? $"{a}={Describe(v)}" : null).Where(s => s != null)));
            _output.WriteLine($"{suite}: {FuzzRunner.CasesRun[suite]} cases ({_parsed} parsed, {_evaluated} evaluated to a value; counts approximate when suites run at once), {findings.Count} finding(s)");
            Assert.True(findings.Count == 0, string.Join("\n", findings));
        }

        private static string Describe(object value) =>
            value == null ? "null" : value is string s ? FuzzRunner.Show(s) : value is System.Collections.IEnumerable e ? "[" + string.Join(",", e.Cast<object>()) + "]" : value.ToString();

        [Fact]
        public void Generated_expressions_only_return_or_throw_ExpressionException() =>
            Check("expressions: generated from the grammar", 20000 * FuzzRunner.Scale, random => Generate(random, 0));

        [Fact]
        public void Mutated_documented_examples_only_return_or_throw_ExpressionException()
        {
            var tokens = ExpressionFunctions.All.Select(f => f.Name).Concat(Literals).Concat(Operators).Concat(new[] { "[", "]", "(", ")", ",", "\"", "\\", "&H", "[x]" }).ToList();
            Check("expressions: mutated documented examples", 30000 * FuzzRunner.Scale, random =>
                FuzzRunner.Mutate(Examples[random.Next(Examples.Length)], random, tokens, 1 + random.Next(4)));
        }

        [Fact]
        public void Random_text_only_returns_or_throws_ExpressionException() =>
            Check("expressions: random text", 10000 * FuzzRunner.Scale, random => RandomText(random, 60));

        [Fact]
        public void Deep_and_long_expressions_are_refused_not_overflowed()
        {
            var deep = string.Concat(Enumerable.Repeat("Not(", 5000)) + "[x]" + new string(')', 5000);
            Assert.Throws<ExpressionException>(() => ExpressionParser.Parse(deep));
            var comparisons = string.Join(" = ", Enumerable.Repeat("[x]", 3000));
            try { ExpressionParser.Parse(comparisons); } catch (ExpressionException) { }
            Assert.Throws<ExpressionException>(() => ExpressionParser.Parse(new string('[', ExpressionParser.MaxLength + 1)));
        }
    }
}
