using System.Collections.Generic;
using System.Linq;
using Xunit;
using Xunit.Abstractions;

namespace DropboxProvisioning.Pester.Tests
{
    /// <summary>One xunit test per Pester test of tests/Pester, and one per suite file for what happens outside its tests.</summary>
    public sealed class PesterTests
    {
        private readonly ITestOutputHelper _output;

        public PesterTests(ITestOutputHelper output) => _output = output;

        public static IEnumerable<object[]> Tests() => PesterSuites.DiscoveredTests.Select(t => new object[] { t.Key });

        public static IEnumerable<object[]> Files() => PesterSuites.Files.Select(f => new object[] { f });

        [PesterTheory]
        [MemberData(nameof(Tests))]
        public void Pester(string test)
        {
            var file = test.Substring(0, test.IndexOf(" > "));
            var run = PesterSuites.Run(file);
            var result = run.Tests.SingleOrDefault(t => t.Key == test);
            Assert.True(result != null, $"{test} was discovered but not run; the suite's output:\n{run.Output}");
            if (result.Result != "Passed") _output.WriteLine(run.Output);
            Assert.True(result.Result == "Passed", $"{test}: {result.Result}\n{result.Message}");
        }

        /// <summary>The file's discovery, BeforeAll and AfterAll passed, and it ran exactly the tests discovered.</summary>
        [Theory]
        [MemberData(nameof(Files))]
        public void Suite(string file)
        {
            var run = PesterSuites.Run(file);
            _output.WriteLine($"{file}: {run.Tests.Count} tests in {run.Duration.TotalSeconds:0.0} s");
            var container = Assert.Single(run.Containers);
            Assert.True(string.IsNullOrEmpty(container.Message), $"{file} failed outside its tests:\n{container.Message}\n{run.Output}");
            var discovered = PesterSuites.DiscoveredTests.Where(t => t.File == file).Select(t => t.Key).ToList();
            Assert.Equal(discovered, run.Tests.Select(t => t.Key).ToList());
        }
    }
}
