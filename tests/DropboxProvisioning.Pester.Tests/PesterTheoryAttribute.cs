using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace DropboxProvisioning.Pester.Tests
{
    /// <summary>
    /// A theory whose rows are Pester tests: each row is named by its Pester test in full (xunit would cut a string argument
    /// at 50 characters), and a row whose Pester test is marked -Skip is reported skipped, as Pester reports it.
    /// </summary>
    [XunitTestCaseDiscoverer("DropboxProvisioning.Pester.Tests.PesterTheoryDiscoverer", "DropboxProvisioning.Pester.Tests")]
    public sealed class PesterTheoryAttribute : TheoryAttribute
    {
    }

    public sealed class PesterTheoryDiscoverer : TheoryDiscoverer
    {
        public PesterTheoryDiscoverer(IMessageSink diagnosticMessageSink) : base(diagnosticMessageSink)
        {
        }

        protected override IEnumerable<IXunitTestCase> CreateTestCasesForDataRow(
            ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo theoryAttribute, object[] dataRow)
        {
            var key = (string)dataRow[0];
            var skip = PesterSuites.DiscoveredTests.Any(t => t.Key == key && t.Skip) ? "skipped in the Pester suite (-Skip)" : null;
            yield return new PesterTestCase(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(),
                discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, dataRow, skip);
        }
    }

    public sealed class PesterTestCase : XunitTestCase
    {
        private string _skip;

        [Obsolete("For deserialization only")]
        public PesterTestCase()
        {
        }

        public PesterTestCase(IMessageSink sink, TestMethodDisplay display, TestMethodDisplayOptions options, ITestMethod method, object[] row, string skip)
            : base(sink, display, options, method, row)
        {
            _skip = skip;
        }

        protected override string GetDisplayName(IAttributeInfo factAttribute, string displayName) => "Pester: " + (string)TestMethodArguments[0];

        protected override string GetSkipReason(IAttributeInfo factAttribute) => _skip;

        public override void Serialize(IXunitSerializationInfo data)
        {
            base.Serialize(data);
            data.AddValue("PesterSkip", _skip);
        }

        public override void Deserialize(IXunitSerializationInfo data)
        {
            _skip = data.GetValue<string>("PesterSkip");
            base.Deserialize(data);
        }
    }
}
