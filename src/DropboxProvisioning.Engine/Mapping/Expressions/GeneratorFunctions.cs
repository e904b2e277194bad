using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Text;

namespace DropboxProvisioning.Mapping.Expressions
{
    /// <summary>Guid, RandomString, Redact and SelectUniqueValue: values that do not come from the source object alone.</summary>
    internal static class GeneratorFunctions
    {
        private const string Digits = "0123456789";
        private const string Upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        private const string Lower = "abcdefghijklmnopqrstuvwxyz";

        /// <summary>The non-alphanumeric characters of Windows password complexity rules, which the doc points to.</summary>
        private const string Special = "~!@#$%^&*_-+=`|\\(){}[]:;\"'<>,.?/";

        private const int MaxRandomLength = 256;

        private static readonly RandomNumberGenerator Crypto = RandomNumberGenerator.Create();

        public static object Guid(FunctionNode call, in EvaluationScope scope)
        {
            var random = scope.Context.Random;
            if (random == null)
            {
                return System.Guid.NewGuid().ToString("D");
            }

            var bytes = new byte[16];
            random.NextBytes(bytes);
            bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40); // version 4
            bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 4122 variant
            return new Guid(bytes).ToString("D");
        }

        /// <summary>Redact(value) flows the value unchanged; <see cref="ParsedExpression.IsRedacted"/> tells logging to hide it.</summary>
        public static object Redact(FunctionNode call, in EvaluationScope scope) => call.Arg(0, scope);

        public static void PrepareRandomString(FunctionNode call)
        {
            var literals = new long?[5];
            for (var i = 0; i < 5; i++)
            {
                if (call.LiteralArg(i) is object literal)
                {
                    if (!Values.TryGetLong(literal, out var number))
                    {
                        throw Values.InvalidArgument($"RandomString: argument {i + 1} must be a number", call.ArgPosition(i));
                    }

                    literals[i] = number;
                }
            }

            if (Array.TrueForAll(literals, l => l.HasValue))
            {
                CheckLengths(call, literals[0].Value, literals[1].Value, literals[2].Value, literals[3].Value, literals[4].Value);
            }
        }

        /// <summary>
        /// RandomString(Length, MinimumNumbers, MinimumSpecialCharacters, MinimumCapital, MinimumLowerCase, CharactersToAvoid):
        /// at least the minimum of each class, the rest from all classes, shuffled; avoided characters never appear.
        /// </summary>
        public static object RandomString(FunctionNode call, in EvaluationScope scope)
        {
            var length = Required(call, 0, scope);
            var numbers = Required(call, 1, scope);
            var specials = Required(call, 2, scope);
            var capitals = Required(call, 3, scope);
            var lowers = Required(call, 4, scope);
            CheckLengths(call, length, numbers, specials, capitals, lowers);
            var avoid = call.StringArg(5, scope) ?? string.Empty;

            var digitPool = Without(Digits, avoid);
            var specialPool = Without(Special, avoid);
            var upperPool = Without(Upper, avoid);
            var lowerPool = Without(Lower, avoid);
            var allPool = digitPool + specialPool + upperPool + lowerPool;
            if ((numbers > 0 && digitPool.Length == 0) || (specials > 0 && specialPool.Length == 0)
                || (capitals > 0 && upperPool.Length == 0) || (lowers > 0 && lowerPool.Length == 0) || allPool.Length == 0)
            {
                throw Values.InvalidArgument("RandomString: CharactersToAvoid removes every character of a required class", call.ArgPosition(5));
            }

            var random = scope.Context.Random;
            var chars = new List<char>((int)length);
            Pick(chars, digitPool, numbers, random);
            Pick(chars, specialPool, specials, random);
            Pick(chars, upperPool, capitals, random);
            Pick(chars, lowerPool, lowers, random);
            Pick(chars, allPool, length - chars.Count, random);
            for (var i = chars.Count - 1; i > 0; i--)
            {
                var j = Next(random, i + 1);
                var swap = chars[i];
                chars[i] = chars[j];
                chars[j] = swap;
            }

            return new string(chars.ToArray());
        }

        /// <summary>
        /// SelectUniqueValue(rule1, rule2, ...): the first rule whose value the target reports free
        /// (<see cref="ExpressionContext.IsValueUnique"/>). Null/empty candidates are skipped. When every candidate is
        /// taken Entra escrows the object: a <see cref="ExpressionErrorIds.NoUniqueValue"/> error.
        /// </summary>
        public static object SelectUniqueValue(FunctionNode call, in EvaluationScope scope)
        {
            var isUnique = scope.Context.IsValueUnique;
            List<string> tried = null;
            for (var i = 0; i < call.ArgumentCount; i++)
            {
                var candidate = call.StringArg(i, scope);
                if (string.IsNullOrEmpty(candidate))
                {
                    continue;
                }

                if (isUnique == null || isUnique(candidate))
                {
                    return candidate;
                }

                (tried = tried ?? new List<string>()).Add(candidate);
            }

            var list = tried == null ? "no candidate had a value" : "already taken: " + string.Join(", ", tried);
            throw new ExpressionException(
                ExpressionErrorIds.NoUniqueValue,
                $"SelectUniqueValue found no unique value ({list}).",
                call.Position);
        }

        private static long Required(FunctionNode call, int index, in EvaluationScope scope) =>
            call.LongArg(index, scope)
            ?? throw Values.InvalidArgument($"RandomString: argument {index + 1} is required", call.ArgPosition(index));

        private static void CheckLengths(FunctionNode call, long length, long numbers, long specials, long capitals, long lowers)
        {
            if (length < 1 || length > MaxRandomLength)
            {
                throw Values.InvalidArgument($"RandomString: Length must be between 1 and {MaxRandomLength} but was {length}", call.ArgPosition(0));
            }

            if (numbers < 0 || specials < 0 || capitals < 0 || lowers < 0)
            {
                throw Values.InvalidArgument("RandomString: minimums cannot be negative", call.ArgPosition(1));
            }

            if (numbers + specials + capitals + lowers > length)
            {
                throw Values.InvalidArgument(
                    $"RandomString: Length {length} is less than the sum of the minimums ({numbers + specials + capitals + lowers})",
                    call.ArgPosition(0));
            }
        }

        private static string Without(string pool, string avoid)
        {
            if (avoid.Length == 0)
            {
                return pool;
            }

            var builder = new StringBuilder(pool.Length);
            foreach (var c in pool)
            {
                if (avoid.IndexOf(c) < 0)
                {
                    builder.Append(c);
                }
            }

            return builder.ToString();
        }

        private static void Pick(List<char> chars, string pool, long count, Random random)
        {
            for (var i = 0; i < count; i++)
            {
                chars.Add(pool[Next(random, pool.Length)]);
            }
        }

        /// <summary>A uniform integer in [0, max): from the context's Random when tests pin one, else cryptographic.</summary>
        private static int Next(Random random, int max)
        {
            if (random != null)
            {
                return random.Next(max);
            }

            var bytes = new byte[4];
            var limit = uint.MaxValue - (uint.MaxValue % (uint)max);
            uint value;
            do
            {
                lock (Crypto)
                {
                    Crypto.GetBytes(bytes);
                }

                value = BitConverter.ToUInt32(bytes, 0);
            }
            while (value >= limit);

            return (int)(value % (uint)max);
        }
    }
}
