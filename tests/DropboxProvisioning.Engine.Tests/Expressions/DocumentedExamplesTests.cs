using System;
using System.Collections.Generic;
using System.Linq;
using DropboxProvisioning.Mapping.Expressions;
using Xunit;
using static DropboxProvisioning.Engine.Tests.Expressions.ExpressionTestHelpers;

namespace DropboxProvisioning.Engine.Tests.Expressions
{
    /// <summary>
    /// Every example of Microsoft's "Reference for writing expressions for attribute mappings in Microsoft Entra ID",
    /// with its documented input and output. Where the doc's output contradicts its own expression, the test says so.
    /// </summary>
    public class DocumentedExamplesTests
    {
        [Fact]
        public void Append_ConstantSuffixToUserName() =>
            Assert.Equal("John.Doe@contoso.com.test", Eval("Append([userPrincipalName], \".test\")", ("userPrincipalName", "John.Doe@contoso.com")));

        [Fact]
        public void BitAnd_HexLiterals() => Assert.Equal(7L, Eval("BitAnd(&HF, &HF7)"));

        [Theory]
        [InlineData("same", "same", true)]
        [InlineData("one", "other", false)]
        public void CBool_TrueWhenBothAttributesHaveTheSameValue(string a, string b, bool expected) =>
            Assert.Equal(expected, Eval("CBool([attribute1] = [attribute2])", ("attribute1", a), ("attribute2", b)));

        [Fact]
        public void CDate_Example1_WorkdayDateWithOffset() =>
            Assert.Equal("3/16/2020 7:00:00 AM", Eval("CDate([StatusHireDate])", ("StatusHireDate", "2020-03-16-07:00")));

        [Fact]
        public void CDate_Example2_PositiveOffset() => Assert.Equal("6/29/2021 4:00:00 PM", Eval("CDate(\"2021-06-30+08:00\")"));

        [Fact]
        public void CDate_Example3_FullIsoTimestamp() => Assert.Equal("6/15/2009 8:45:30 AM", Eval("CDate(\"2009-06-15T01:45:30-07:00\")"));

        [Fact]
        public void Coalesce_FlowMailElseUserPrincipalName() =>
            Assert.Equal("John.Doe@contoso.com", Eval("Coalesce([mail],[userPrincipalName])", ("mail", null), ("userPrincipalName", "John.Doe@contoso.com")));

        [Fact]
        public void ConvertToBase64_HelloWorld() => Assert.Equal("SABlAGwAbABvACAAdwBvAHIAbABkACEA", Eval("ConvertToBase64(\"Hello world!\")"));

        [Fact]
        public void ConvertToUTF8Hex_HelloWorld() => Assert.Equal("48656C6C6F20776F726C6421", Eval("ConvertToUTF8Hex(\"Hello world!\")"));

        [Fact]
        public void CStr_ReferenceAttribute() =>
            Assert.Equal("cn=Joe,dc=contoso,dc=com", Eval("CStr([dn])", ("dn", "cn=Joe,dc=contoso,dc=com")));

        [Theory]
        [InlineData("d", 7, "3/23/2012 7:00:00 AM")]
        [InlineData("d", -10, "3/6/2012 7:00:00 AM")]
        [InlineData("ww", 2, "3/30/2012 7:00:00 AM")]
        [InlineData("m", 10, "1/16/2013 7:00:00 AM")]
        [InlineData("yyyy", 2, "3/16/2014 7:00:00 AM")]
        public void DateAdd_Example1_HireDateTable(string interval, int value, string expected) =>
            Assert.Equal(expected, Eval($"DateAdd(\"{interval}\", {value}, CDate([StatusHireDate]))", ("StatusHireDate", "2012-03-16-07:00")));

        [Theory]
        [InlineData("d", "2021-08-18+08:00", "2021-08-31+08:00", 13)]
        [InlineData("d", "8/25/2021 5:41:18 PM", "2012-03-16-07:00", -3449)]
        [InlineData("ww", "8/25/2021 5:41:18 PM", "2012-03-16-07:00", -493)]
        [InlineData("m", "8/25/2021 5:41:18 PM", "2012-03-16-07:00", -113)]
        [InlineData("yyyy", "8/25/2021 5:41:18 PM", "2012-03-16-07:00", -9)]
        [InlineData("d", "2021-08-31+08:00", "2021-08-31+08:00", 0)]
        [InlineData("h", "2021-08-24", "2021-08-25", 24)]
        [InlineData("n", "2021-08-24", "2021-08-25", 1440)]
        [InlineData("s", "2021-08-24", "2021-08-25", 86400)]
        public void DateDiff_Example1_IntervalTable(string interval, string date1, string date2, long expected) =>
            Assert.Equal(expected, Eval($"DateDiff(\"{interval}\", CDate([date1]), CDate([date2]))", ("date1", date1), ("date2", date2)));

        [Theory]
        [InlineData("1", 3, "True")]
        [InlineData("1", 10, "False")]
        [InlineData("0", 3, "False")]
        public void DateDiff_Example2_CombinedWithIIFAndSwitch(string active, int daysUntilHire, string expected)
        {
            var hireDate = FixedNow.AddDays(daysUntilHire).ToString("yyyy-MM-ddTHH:mm:ssK");
            const string expression = "Switch([Active], , \n  \"1\", IIF(DateDiff(\"d\", Now(), CDate([StatusHireDate])) > 5, \"False\", \"True\"), \n  \"0\", \"False\")";
            Assert.Equal(expected, Eval(expression, ("Active", active), ("StatusHireDate", hireDate)));
        }

        [Fact]
        public void DateFromNum_AdDateIsJanuaryFirst2012At11PM() =>
            Assert.Equal("1/1/2012 11:00:00 PM", Eval("DateFromNum(129699324000000000)"));

        [Fact]
        public void DateFromNum_FromAttribute() =>
            Assert.Equal("1/1/2012 11:00:00 PM", Eval("DateFromNum([lastLogonTimestamp])", ("lastLogonTimestamp", 129699324000000000L)));

        [Fact]
        public void FormatDateTime_OutputDateInCertainFormat() =>
            Assert.Equal("2015-01-23", Eval("FormatDateTime([extensionAttribute1], , \"yyyyMMddHHmmss.fZ\", \"yyyy-MM-dd\")", ("extensionAttribute1", "20150123105347.1Z")));

        [Fact]
        public void Guid_SampleOutputShape()
        {
            var value = (string)Eval("Guid()");
            Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", value);
        }

        [Theory]
        [InlineData(null)]
        [InlineData("")]
        public void IgnoreFlowIfNullOrEmpty_Example1_DropsNullOrEmptyDepartment(string department) =>
            Assert.Same(IgnoreFlowSignal.Instance, Eval("IgnoreFlowIfNullOrEmpty([department])", ("department", department)));

        [Fact]
        public void IgnoreFlowIfNullOrEmpty_Example1_FlowsPresentDepartment() =>
            Assert.Equal("Sales", Eval("IgnoreFlowIfNullOrEmpty([department])", ("department", "Sales")));

        [Theory]
        [InlineData("3443", "Dr.")]
        [InlineData("3445", "Prof. Dr.")]
        public void IgnoreFlowIfNullOrEmpty_Example2_SwitchMatch(string prefix, string expected) =>
            Assert.Equal(expected, Eval("IgnoreFlowIfNullOrEmpty(Switch([prefix], \"\", \"3443\", \"Dr.\", \"3444\", \"Prof.\", \"3445\", \"Prof. Dr.\"))", ("prefix", prefix)));

        [Fact]
        public void IgnoreFlowIfNullOrEmpty_Example2_NoMatchDropsPersonalTitle() =>
            Assert.Same(IgnoreFlowSignal.Instance, Eval("IgnoreFlowIfNullOrEmpty(Switch([prefix], \"\", \"3443\", \"Dr.\", \"3444\", \"Prof.\", \"3445\", \"Prof. Dr.\"))", ("prefix", "9999")));

        [Theory]
        [InlineData("USA", "Sales", "USA")]
        [InlineData("Canada", "Sales", "Sales")]
        public void IIF_CountryElseDepartment(string country, string department, string expected) =>
            Assert.Equal(expected, Eval("IIF([country]=\"USA\",[country],[department])", ("country", country), ("department", department)));

        [Theory]
        [InlineData("USA", "CA", "True")]
        [InlineData("USA", "NY", "False")]
        [InlineData("Mexico", "CA", "False")]
        public void IIF_AndLogicThroughNestedTrueBranch(string country, string state, string expected) =>
            Assert.Equal(expected, Eval("IIF([country]=\"USA\",IIF([state]=\"CA\",\"True\",\"False\"),\"False\")", ("country", country), ("state", state)));

        [Theory]
        [InlineData("USA", "NY", "True")]
        [InlineData("Mexico", "CA", "True")]
        [InlineData("Mexico", "NY", "False")]
        public void IIF_OrLogicThroughNestedFalseBranch(string country, string state, string expected) =>
            Assert.Equal(expected, Eval("IIF([country]=\"USA\",\"True\",IIF([state]=\"CA\",\"True\",\"False\"))", ("country", country), ("state", state)));

        [Theory]
        [InlineData("IIF([country]=\"\",\"Other\",[country])")]
        [InlineData("IIF(IsNullOrEmpty([country]),\"Other\",[country])")]
        [InlineData("IIF(IsPresent([country]),[country],\"Other\")")]
        public void IIF_KnownLimitation_NullOrEmptyAttributeFailsTheCondition(string expression)
        {
            Assert.Null(Eval(expression, ("country", null)));
            Assert.Null(Eval(expression, ("country", "")));
        }

        [Theory]
        [InlineData(null, "Other")]
        [InlineData("", "Other")]
        [InlineData("Norway", "Norway")]
        public void IIF_RecommendedSwitchWorkaroundForEmptyValues(string country, string expected) =>
            Assert.Equal(expected, Eval("Switch([country],[country],\"\",\"Other\")", ("country", country)));

        [Fact]
        public void InStr_FindsQuick() => Assert.Equal(5L, Eval("InStr(\"The quick brown fox\",\"quick\")"));

        [Fact]
        public void InStr_BinaryCompareFromStart3() => Assert.Equal(7L, Eval("InStr(\"repEated\",\"e\",3,vbBinaryCompare)"));

        [Fact]
        public void IsNull_TrueWhenAttributeAbsent()
        {
            Assert.Equal(true, Eval("IsNull([displayName])"));
            Assert.Equal(false, Eval("IsNull([displayName])", ("displayName", "John")));
        }

        [Fact]
        public void IsNullOrEmpty_TrueWhenAbsentOrEmpty()
        {
            Assert.Equal(true, Eval("IsNullOrEmpty([displayName])"));
            Assert.Equal(true, Eval("IsNullOrEmpty([displayName])", ("displayName", "")));
            Assert.Equal(false, Eval("IsNullOrEmpty([displayName])", ("displayName", "John")));
        }

        [Theory]
        [InlineData("boss", null, null, "boss")]
        [InlineData("boss", "skip", null, "skip")]
        [InlineData(null, null, "director", null)] // source "False" equals key1 IsPresent(skip) = "False": yields [skiplevelManager]
        public void IsPresent_SwitchExample(string direct, string skip, string director, string expected)
        {
            // Switch(IsPresent(a), a, IsPresent(b), b, IsPresent(c), c) compares "True"/"False" strings, faithfully.
            const string expression = "Switch(IsPresent([directManager]),[directManager], IsPresent([skiplevelManager]),[skiplevelManager], IsPresent([director]),[director])";
            Assert.Equal(expected, Eval(expression, ("directManager", direct), ("skiplevelManager", skip), ("director", director)));
        }

        [Fact]
        public void Item_FirstItemOfMultiValuedAttribute() =>
            Assert.Equal("SMTP:a@contoso.com", Eval("Item([proxyAddresses], 1)", ("proxyAddresses", Multi("SMTP:a@contoso.com", "smtp:b@contoso.com"))));

        [Fact]
        public void Join_CommaBetweenLastNameAndFirstName() =>
            Assert.Equal("Doe, John", Eval("Join(\", \", \"\", [surname], [givenName])", ("givenName", "John"), ("surname", "Doe")));

        [Fact]
        public void Left_ThreeCharacters() => Assert.Equal("Joh", Eval("Left(\"John Doe\", 3)"));

        [Fact]
        public void Mid_UserAliasFromFirstAndLastName() =>
            Assert.Equal("JohDoe", Eval("Append(Mid([givenName], 1, 3), Mid([surname], 1, 5))", ("givenName", "John"), ("surname", "Doe")));

        [Fact]
        public void NormalizeDiacritics_Zoe() => Assert.Equal("Zoe", Eval("NormalizeDiacritics([givenName])", ("givenName", "Zoë")));

        [Theory]
        [InlineData("äàâãåáąăāǟǡ", "aaaaaaaaaaa")]
        [InlineData("ÄÀÂÃÅÁĄĂĀǞǠ", "AAAAAAAAAAA")]
        [InlineData("æǣ", "aeae")]
        [InlineData("ÆǢ", "AEAE")]
        [InlineData("çčć", "ccc")]
        [InlineData("ďḏ", "dd")]
        [InlineData("ëèéêęěėēḗḕ", "eeeeeeeeee")]
        [InlineData("ğḡ", "gg")]
        [InlineData("ïîìíıī", "iiiiii")]
        [InlineData("ÏÎÌÍİĪ", "IIIIII")]
        [InlineData("ľłḹḻ", "llll")]
        [InlineData("ŁĽḸḺ", "LLLL")]
        [InlineData("ñńňṉ", "nnnn")]
        [InlineData("öòőõôóōṓṑȫǭȭȱ", "ooooooooooooo")]
        [InlineData("øø̄œ̄", "oeoeoe")]
        [InlineData("ØØ̄Œ̄", "OEOEOE")]
        [InlineData("řṟṝ", "rrr")]
        [InlineData("ß", "ss")]
        [InlineData("šśșş", "ssss")]
        [InlineData("ťț", "tt")]
        [InlineData("üùûúůűūǖṻ", "uuuuuuuuu")]
        [InlineData("ÿýȳ", "yyy")]
        [InlineData("źžżẕ", "zzzz")]
        [InlineData("ŹŽŻẔ", "ZZZZ")]
        public void NormalizeDiacritics_DocumentedTable(string input, string expected) =>
            Assert.Equal(expected, Eval("NormalizeDiacritics([x])", ("x", input)));

        [Fact]
        public void Now_ReturnsUtcInEntraFormat() => Assert.Equal("7/2/2021 3:33:38 PM", Eval("Now()"));

        [Fact]
        public void NumFromDate_WorkdayContractEndDate() =>
            Assert.Equal(
                new DateTimeOffset(2020, 12, 31, 23, 59, 59, TimeSpan.FromHours(-8)).ToFileTime(),
                Eval("NumFromDate(Join(\"\", FormatDateTime([ContractEndDate], ,\"yyyy-MM-ddzzz\", \"yyyy-MM-dd\"), \" 23:59:59-08:00\"))", ("ContractEndDate", "2020-12-31-08:00")));

        [Fact]
        public void NumFromDate_SuccessFactorsEndDate() =>
            Assert.Equal(
                new DateTimeOffset(2020, 12, 31, 23, 59, 59, TimeSpan.FromHours(-8)).ToFileTime(),
                Eval("NumFromDate(Join(\"\",FormatDateTime([endDate], ,\"M/d/yyyy hh:mm:ss tt\",\"yyyy-MM-dd\"),\" 23:59:59-08:00\"))", ("endDate", "12/31/2020 05:00:00 PM")));

        [Fact]
        public void PCase_DefaultSeparators() =>
            Assert.Equal("Pablo Gonsalves (Second)", Eval("PCase([firstName])", ("firstName", "PABLO GONSALVES (SECOND)")));

        [Fact]
        public void PCase_ExplicitSeparators() =>
            Assert.Equal("Pinto-De'Silva", Eval("PCase([lastName],\" '-\")", ("lastName", "PINTO-DE'SILVA")));

        [Fact]
        public void PCase_NestedJoin() =>
            Assert.Equal("Gregory James", Eval("PCase(Join(\" \",[firstName],[lastName]))", ("firstName", "GREGORY"), ("lastName", "JAMES")));

        [Fact]
        public void RandomString_Example1_ThreeNumbersThreeLowerCase()
        {
            var value = (string)Eval("RandomString(6,3,0,0,3)");
            Assert.Equal(6, value.Length);
            Assert.Equal(3, value.Count(char.IsDigit));
            Assert.Equal(3, value.Count(char.IsLower));
        }

        [Fact]
        public void RandomString_Example2_WithSpecialCharacterRestrictions()
        {
            for (var seed = 0; seed < 50; seed++)
            {
                var value = (string)EvalWith("RandomString(10,2,2,2,1,\"?,\")", Context(seed: seed));
                Assert.Equal(10, value.Length);
                Assert.True(value.Count(char.IsDigit) >= 2, value);
                Assert.True(value.Count(c => !char.IsLetterOrDigit(c)) >= 2, value);
                Assert.True(value.Count(char.IsUpper) >= 2, value);
                Assert.True(value.Count(char.IsLower) >= 1, value);
                Assert.DoesNotContain('?', value);
                Assert.DoesNotContain(',', value);
            }
        }

        [Theory]
        [InlineData("Redact([userPrincipalName])", "jsmith@contoso.com")]
        [InlineData("Redact(\"StringToBeRedacted\")", "StringToBeRedacted")]
        public void Redact_FlowsValueButMarksExpressionRedacted(string expression, string expected)
        {
            var parsed = ExpressionParser.Parse(expression);
            Assert.True(parsed.IsRedacted);
            Assert.Equal(expected, parsed.Evaluate(Source(("userPrincipalName", "jsmith@contoso.com")), Context()));
        }

        [Fact]
        public void Redact_RandomString()
        {
            var parsed = ExpressionParser.Parse("Redact(RandomString(6,3,0,0,3))");
            Assert.True(parsed.IsRedacted);
            Assert.True(parsed.IsNonDeterministic);
            Assert.Equal(6, ((string)parsed.Evaluate(Source(), Context())).Length);
        }

        [Fact]
        public void RemoveDuplicates_ProxyAddresses() =>
            Assert.Equal(
                new[] { "SMTP:a@contoso.com", "smtp:b@contoso.com" },
                (IEnumerable<string>)Eval("RemoveDuplicates([proxyAddresses])", ("proxyAddresses", Multi("SMTP:a@contoso.com", "smtp:b@contoso.com", "SMTP:a@contoso.com"))));

        [Fact]
        public void Replace_Example1_OldValueAndReplacementValue() =>
            Assert.Equal("Software Engineer", Eval("Replace([BusinessTitle],\"Product Developer\", , , \"Software Engineer\", , )", ("BusinessTitle", "Product Developer")));

        [Fact]
        public void Replace_Example2_OldValueAndTemplate() =>
            Assert.Equal("jsmith@contoso.com", Eval("Replace([UserID],\"<username>\", , , , , \"<username>@contoso.com\")", ("UserID", "jsmith")));

        [Fact]
        public void Replace_Example3_RegexGroupsInReplacementValue() =>
            Assert.Equal("9998887777", Eval("Replace([telephoneNumber], , \"\\\\+(?<isdCode>\\\\d* )(?<phoneNumber>\\\\d{10})\", , \"${phoneNumber}\", , )", ("telephoneNumber", "+91 9998887777")));

        [Fact]
        public void Replace_Example3_CollapseMobileNumber()
        {
            // The doc prints 19998887777, but its pattern [()\s-]+ does not remove "+": .NET (which Entra runs on)
            // yields +19998887777. We assert what the documented expression actually computes.
            Assert.Equal("+19998887777", Eval("Replace([mobile], , \"[()\\\\s-]+\", , \"\", , )", ("mobile", "+1 (999) 888-7777")));
        }

        [Fact]
        public void Replace_Example4_GroupReplacedWithLiteral() =>
            Assert.Equal("888 Tremont Street", Eval("Replace([AddressLineData], ,\"(?<streetNumber>^\\\\d*)\",\"streetNumber\", \"888\", , )", ("AddressLineData", "545 Tremont Street")));

        [Fact]
        public void Replace_Example4_DomainSuffixRemoved() =>
            Assert.Equal("jsmith", Eval("Replace([userPrincipalName], , \"(?<Suffix>@(.)*)\", \"Suffix\", \"\", , )", ("userPrincipalName", "jsmith@contoso.com")));

        [Fact]
        public void Replace_Example5_ReplacementAttributeWhenSourceEmpty() =>
            Assert.Equal("8887779999", Eval("Replace([telephoneNumber], , \"\\\\+(?<isdCode>\\\\d* )(?<phoneNumber>\\\\d{10})\", \"phoneNumber\" , , [mobile], )", ("telephoneNumber", ""), ("mobile", "+91 8887779999")));

        [Fact]
        public void Replace_Example5_SourceWinsWhenPresent() =>
            Assert.Equal("+91 1112223333", Eval("Replace([telephoneNumber], , \"\\\\+(?<isdCode>\\\\d* )(?<phoneNumber>\\\\d{10})\", \"phoneNumber\" , , [mobile], )", ("telephoneNumber", "+91 1112223333"), ("mobile", "+91 8887779999")));

        [Fact]
        public void Replace_Example6_RemoveMatchingCharacters() =>
            Assert.Equal("72", Eval("Replace([mailNickname], , \"[a-zA-Z_]*\", , \"\", , )", ("mailNickname", "john_doe72")));

        [Fact]
        public void Replace_StripKnownDomainName() =>
            Assert.Equal("john.doe", Eval("Replace([mail], \"@contoso.com\", , ,\"\", ,)", ("mail", "john.doe@contoso.com")));

        [Fact]
        public void Replace_GenerateIdFromObjectId()
        {
            // The doc's sample output was computed from a GUID other than the placeholder shown as input;
            // d05e47b1-3909-445a-ba5e-ca60cbc0e4b4 is the GUID that output decodes back to.
            const string expression = "Join(\"\", 1000, Replace(ConvertToUTF8Hex([objectId]), , \"[a-zA-Z_]*\", , \"\", , ))";
            Assert.Equal(
                "100064303565343762312333930392343435612626135652636136306362633065346234",
                Eval(expression, ("objectId", "d05e47b1-3909-445a-ba5e-ca60cbc0e4b4")));
            Assert.Equal(
                "100030306161303061612626231312636332322646433332343465653434656534346565",
                Eval(expression, ("objectId", "00aa00aa-bb11-cc22-dd33-44ee44ee44ee")));
        }

        private const string UniqueUpn =
            "SelectUniqueValue( \n" +
            "    Join(\"@\", NormalizeDiacritics(StripSpaces(Join(\".\",  [PreferredFirstName], [PreferredLastName]))), \"contoso.com\"), \n" +
            "    Join(\"@\", NormalizeDiacritics(StripSpaces(Join(\".\",  Mid([PreferredFirstName], 1, 1), [PreferredLastName]))), \"contoso.com\"),\n" +
            "    Join(\"@\", NormalizeDiacritics(StripSpaces(Join(\".\",  Mid([PreferredFirstName], 1, 2), [PreferredLastName]))), \"contoso.com\")\n" +
            ")";

        [Theory]
        [InlineData("", "John.Smith@contoso.com")]
        [InlineData("John.Smith@contoso.com", "J.Smith@contoso.com")]
        [InlineData("John.Smith@contoso.com|J.Smith@contoso.com", "Jo.Smith@contoso.com")]
        public void SelectUniqueValue_GenerateUniqueUpn(string taken, string expected)
        {
            var existing = new HashSet<string>(taken.Split('|', StringSplitOptions.RemoveEmptyEntries));
            var context = Context(isUnique: candidate => !existing.Contains(candidate));
            Assert.Equal(expected, EvalWith(UniqueUpn, context, ("PreferredFirstName", "John"), ("PreferredLastName", "Smith")));
        }

        [Fact]
        public void Split_CommaDelimitedPermissionSets() =>
            Assert.Equal(
                new[] { "PermissionSetOne", "PermissionSetTwo" },
                (IEnumerable<string>)Eval("Split([extensionAttribute5], \",\")", ("extensionAttribute5", "PermissionSetOne, PermissionSetTwo")));

        [Fact]
        public void Switch_TimeZoneFromState() =>
            Assert.Equal("Australia/Brisbane", Eval("Switch([state], \"Australia/Sydney\", \"NSW\", \"Australia/Sydney\",\"QLD\", \"Australia/Brisbane\", \"SA\", \"Australia/Adelaide\")", ("state", "QLD")));

        [Fact]
        public void Switch_UnknownStateGetsDefault() =>
            Assert.Equal("Australia/Sydney", Eval("Switch([state], \"Australia/Sydney\", \"NSW\", \"Australia/Sydney\",\"QLD\", \"Australia/Brisbane\", \"SA\", \"Australia/Adelaide\")", ("state", "WA")));

        [Theory]
        [InlineData("True", "1")]
        [InlineData("TRUE", "1")]
        [InlineData("false", "0")]
        public void Switch_CaseInsensitiveThroughToLower(string flag, string expected) =>
            Assert.Equal(expected, Eval("Switch(ToLower([statusFlag]), \"0\", \"true\", \"1\", \"false\", \"0\")", ("statusFlag", flag)));

        [Theory]
        [InlineData("", "0")]
        [InlineData(null, "0")]
        [InlineData("true", "1")]
        [InlineData("maybe", "Default Value")]
        public void Switch_EmptyStringKeyForEmptySource(string flag, string expected) =>
            Assert.Equal(expected, Eval("Switch([statusFlag], \"Default Value\", \"true\", \"1\", \"\", \"0\")", ("statusFlag", flag)));

        [Theory]
        [InlineData("Company A", "A")]
        [InlineData("Company B", "B")]
        [InlineData("Company C", "External")]
        public void Switch_CautionResolutionWithNestedIIF(string company, string expected) =>
            Assert.Equal(expected, Eval("IIF([companyName] = \"Company A\", \"A\", IIF([companyName] = \"Company B\", \"B\", \"External\"))", ("companyName", company)));

        [Fact]
        public void ToLower_GeneratedUpn() =>
            Assert.Equal("john.smith@contoso.com", Eval("ToLower(Join(\"@\", NormalizeDiacritics(StripSpaces(Join(\".\",  [PreferredFirstName], [PreferredLastName]))), \"contoso.com\"))", ("PreferredFirstName", "John"), ("PreferredLastName", "Smith")));

        [Fact]
        public void Word_ThirdWordBySpace() => Assert.Equal("brown", Eval("Word(\"The quick brown fox\",3,\" \")"));

        [Fact]
        public void Word_ThirdWordByManySeparators() => Assert.Equal("has", Eval("Word(\"This,string!has&many separators\",3,\",!&#\")"));
    }
}
