using System;
using System.Globalization;
using System.Text;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Sandbox.Scim
{
    /// <summary>
    /// Recursive-descent parser for the filter grammar of RFC 7644 §3.4.2.2 (precedence not > and > or,
    /// keywords in any case, JSON string literals with their escapes) and for PATCH paths (§3.5.2).
    /// A string literal is only ever a value: a quote or " or " inside it cannot widen the query.
    /// </summary>
    internal sealed class ScimFilterParser
    {
        private const int MaxLength = 8192;
        private const int MaxDepth = 32;

        private readonly string _text;
        private readonly string _errorType;
        private int _pos;
        private int _depth;

        public ScimFilterParser(string text, string errorType)
        {
            _text = text ?? "";
            _errorType = errorType;
            if (_text.Length > MaxLength) throw Error("it is longer than " + MaxLength + " characters");
        }

        public ScimFilter ParseFilter()
        {
            if (string.IsNullOrWhiteSpace(_text)) throw Error("it is empty");
            var filter = ParseOr(null);
            SkipSpaces();
            if (_pos != _text.Length) throw Error($"unexpected '{_text.Substring(_pos)}'");
            return filter;
        }

        /// <summary>PATCH path: attrPath, or attrPath "[" valFilter "]" ["." subAttr].</summary>
        public ScimPatchPath ParsePatchPath()
        {
            SkipSpaces();
            var attr = ReadAttributePath();
            if (Peek() != '[')
            {
                SkipSpaces();
                if (_pos != _text.Length) throw Error($"unexpected '{_text.Substring(_pos)}'");
                return new ScimPatchPath(attr, null, null);
            }
            if (attr.SubAttribute != null) throw Error("a value filter must follow a multi-valued attribute, not a sub-attribute");
            _pos++;
            var inner = ParseOr(attr.DottedName);
            Expect(']');
            string sub = null;
            if (Peek() == '.')
            {
                _pos++;
                sub = ReadWhile(c => char.IsLetterOrDigit(c) || c == '_' || c == '-' || c == '$');
                if (!ScimAttributePath.IsAttributeName(sub)) throw Error("a sub-attribute name must follow ']. '");
            }
            SkipSpaces();
            if (_pos != _text.Length) throw Error($"unexpected '{_text.Substring(_pos)}'");
            return new ScimPatchPath(attr, inner, sub);
        }

        private ScimFilter ParseOr(string parent)
        {
            var left = ParseAnd(parent);
            while (TryKeyword("or")) left = new OrFilter(left, ParseAnd(parent));
            return left;
        }

        private ScimFilter ParseAnd(string parent)
        {
            var left = ParseUnary(parent);
            while (TryKeyword("and")) left = new AndFilter(left, ParseUnary(parent));
            return left;
        }

        private ScimFilter ParseUnary(string parent)
        {
            if (++_depth > MaxDepth) throw Error("it nests too deeply");
            try
            {
                SkipSpaces();
                if (TryKeyword("not"))
                {
                    SkipSpaces();
                    if (Peek() != '(') throw Error("'not' must be followed by '('");
                    return new NotFilter(ParseGroup(parent));
                }
                if (Peek() == '(') return ParseGroup(parent);
                return ParseAttributeExpression(parent);
            }
            finally { _depth--; }
        }

        private ScimFilter ParseGroup(string parent)
        {
            Expect('(');
            var inner = ParseOr(parent);
            Expect(')');
            return inner;
        }

        private ScimFilter ParseAttributeExpression(string parent)
        {
            var path = ReadAttributePath();
            if (Peek() == '[')
            {
                if (parent != null) throw Error("value filters cannot nest");
                if (path.SubAttribute != null) throw Error("a value filter must follow a multi-valued attribute");
                _pos++;
                var inner = ParseOr(path.DottedName);
                Expect(']');
                ScimFilter element = null;
                if (Peek() == '.')
                {
                    _pos++;
                    var sub = ReadWhile(c => char.IsLetterOrDigit(c) || c == '_' || c == '-' || c == '$');
                    if (!ScimAttributePath.IsAttributeName(sub)) throw Error("a sub-attribute name must follow '].'");
                    element = ParseOperation(new ScimAttributePath(null, sub, null), path.Name + "." + sub);
                }
                return new ValuePathFilter(path, inner, element);
            }
            return ParseOperation(path, parent == null ? path.DottedName : parent + "." + path.DottedName);
        }

        private ScimFilter ParseOperation(ScimAttributePath path, string fullName)
        {
            if (!SkipSpaces()) throw Error($"expected an operator after '{path}'");
            var op = ReadWhile(char.IsLetter).ToLowerInvariant();
            switch (op)
            {
                case "pr":
                    return new PresentFilter(path);
                case "eq": case "ne": case "co": case "sw": case "ew": case "gt": case "ge": case "lt": case "le":
                    if (!SkipSpaces()) throw Error($"expected a value after '{op}'");
                    var literal = ReadLiteral();
                    if (literal.Type == JTokenType.Null && op != "eq" && op != "ne") throw Error($"'{op}' cannot compare with null");
                    if ((literal.Type == JTokenType.Boolean) && op != "eq" && op != "ne") throw Error($"'{op}' cannot compare with a boolean");
                    return new CompareFilter(path, op, literal, IsCaseExact(fullName));
                default:
                    throw Error($"'{op}' is not an operator");
            }
        }

        /// <summary>Ids and references compare exactly; userName, emails and externalId ignore case (caseExact=false).</summary>
        private static bool IsCaseExact(string dottedName)
        {
            switch (dottedName.ToLowerInvariant())
            {
                case "id": case "members.value": case "groups.value": case "meta.version":
                case "members.$ref": case "groups.$ref": case "meta.location":
                    return true;
                default:
                    return false;
            }
        }

        private ScimAttributePath ReadAttributePath()
        {
            SkipSpaces();
            var start = _pos;
            var text = ReadWhile(c => char.IsLetterOrDigit(c) || c == '_' || c == '-' || c == '$' || c == '.' || c == ':');
            if (!ScimAttributePath.TryParse(text, out var path))
                throw Error(text.Length == 0 ? $"expected an attribute at position {start + 1}" : $"'{text}' is not an attribute path");
            return path;
        }

        private JToken ReadLiteral()
        {
            if (Peek() == '"') return new JValue(ReadString());
            var word = ReadWhile(c => char.IsLetterOrDigit(c) || c == '.' || c == '-' || c == '+');
            switch (word.ToLowerInvariant())
            {
                case "true": return new JValue(true);
                case "false": return new JValue(false);
                case "null": return JValue.CreateNull();
            }
            if (long.TryParse(word, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer)) return new JValue(integer);
            if (double.TryParse(word, NumberStyles.Float, CultureInfo.InvariantCulture, out var real)) return new JValue(real);
            throw Error(word.Length == 0 ? "expected a value" : $"'{word}' is not a value (strings need double quotes)");
        }

        /// <summary>A JSON string literal, with its escapes.</summary>
        private string ReadString()
        {
            _pos++; // opening quote
            var sb = new StringBuilder();
            while (_pos < _text.Length)
            {
                var c = _text[_pos++];
                if (c == '"') return sb.ToString();
                if (c != '\\') { sb.Append(c); continue; }
                if (_pos >= _text.Length) break;
                var e = _text[_pos++];
                switch (e)
                {
                    case '"': sb.Append('"'); break;
                    case '\\': sb.Append('\\'); break;
                    case '/': sb.Append('/'); break;
                    case 'b': sb.Append('\b'); break;
                    case 'f': sb.Append('\f'); break;
                    case 'n': sb.Append('\n'); break;
                    case 'r': sb.Append('\r'); break;
                    case 't': sb.Append('\t'); break;
                    case 'u':
                        if (_pos + 4 > _text.Length || !int.TryParse(_text.Substring(_pos, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code))
                            throw Error("bad \\u escape in a string");
                        sb.Append((char)code);
                        _pos += 4;
                        break;
                    default:
                        throw Error($"bad escape '\\{e}' in a string");
                }
            }
            throw Error("a string is not closed");
        }

        private bool TryKeyword(string keyword)
        {
            var save = _pos;
            var hadSpace = SkipSpaces();
            if (keyword != "not" && !hadSpace && save != 0) { _pos = save; return false; }
            if (_pos + keyword.Length <= _text.Length
                && string.Compare(_text, _pos, keyword, 0, keyword.Length, StringComparison.OrdinalIgnoreCase) == 0)
            {
                var end = _pos + keyword.Length;
                var next = end < _text.Length ? _text[end] : '\0';
                var boundary = keyword == "not" ? (next == ' ' || next == '(') : next == ' ';
                if (boundary) { _pos = end; return true; }
            }
            _pos = save;
            return false;
        }

        private bool SkipSpaces()
        {
            var start = _pos;
            while (_pos < _text.Length && (_text[_pos] == ' ' || _text[_pos] == '\t')) _pos++;
            return _pos > start;
        }

        private char Peek() => _pos < _text.Length ? _text[_pos] : '\0';

        private void Expect(char c)
        {
            SkipSpaces();
            if (Peek() != c) throw Error($"expected '{c}' at position {_pos + 1}");
            _pos++;
        }

        private string ReadWhile(Func<char, bool> accept)
        {
            var start = _pos;
            while (_pos < _text.Length && accept(_text[_pos])) _pos++;
            return _text.Substring(start, _pos - start);
        }

        private ScimException Error(string why) =>
            ScimException.BadRequest(_errorType, $"The {(_errorType == "invalidFilter" ? "filter" : "path")} '{_text}' is not valid: {why}.");
    }
}
