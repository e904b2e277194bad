using System.Linq;
using DropboxProvisioning.Engine.Tests.Architecture.Samples.Lower;
using DropboxProvisioning.Errors;
using Xunit;

namespace DropboxProvisioning.Engine.Tests.Architecture
{
    public sealed class NamespaceCycleTests
    {
        [Fact]
        public void The_engines_namespaces_depend_on_each_other_without_cycles()
        {
            var graph = new NamespaceGraph(typeof(DbxException).Assembly);
            var cycles = graph.Cycles();
            Assert.True(cycles.Count == 0, "Namespace cycles in the engine:\n" + string.Join("\n\n", cycles.Select(graph.Describe)));
        }

        [Fact]
        public void A_cycle_made_only_inside_a_method_body_is_found()
        {
            var graph = new NamespaceGraph(typeof(NamespaceCycleTests).Assembly);
            var cycle = Assert.Single(graph.Cycles(), c => c.Any(n => n.EndsWith("Samples.Lower")));
            Assert.Equal(new[] { "DropboxProvisioning.Engine.Tests.Architecture.Samples.Lower", "DropboxProvisioning.Engine.Tests.Architecture.Samples.Upper" }, cycle.OrderBy(n => n));
            Assert.Contains("Samples.Upper.UsesLowerInItsBody", graph.Describe(cycle));
        }

        [Fact]
        public void The_graph_sees_the_engines_known_layering()
        {
            var graph = new NamespaceGraph(typeof(DbxException).Assembly);
            Assert.Contains("DropboxProvisioning.Errors", graph.Edges["DropboxProvisioning.Sync"].Keys);
            Assert.DoesNotContain("DropboxProvisioning.Sync", graph.Edges["DropboxProvisioning.Errors"].Keys);
        }
    }
}

namespace DropboxProvisioning.Engine.Tests.Architecture.Samples.Lower
{
    /// <summary>Refers upward only in a method body (a local's type and a call), which a signature scan would miss.</summary>
    public static class CallsUpward
    {
        public static int Run() => new Upper.UsesLowerInItsBody().Value();
    }
}

namespace DropboxProvisioning.Engine.Tests.Architecture.Samples.Upper
{
    public sealed class UsesLowerInItsBody
    {
        public int Value() => typeof(CallsUpward).Name.Length;
    }
}
