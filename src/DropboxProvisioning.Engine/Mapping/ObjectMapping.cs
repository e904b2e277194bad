using System.Collections.Generic;
using System.Linq;
using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace DropboxProvisioning.Mapping
{
    /// <summary>The mapping of one Entra object type (users or groups) onto its Dropbox counterpart.</summary>
    public sealed class ObjectMapping
    {
        [JsonConverter(typeof(StringEnumConverter))]
        public ObjectType ObjectType { get; set; }

        public bool Enabled { get; set; } = true;

        public TargetActions Actions { get; set; } = new TargetActions();

        public List<AttributeMapping> Attributes { get; set; } = new List<AttributeMapping>();

        /// <summary>Scoping filters: an object is in scope when any filter has all its clauses true; none means all.</summary>
        public List<Scoping.ScopingFilter> ScopingFilters { get; set; } = new List<Scoping.ScopingFilter>();

        /// <summary>The matching attributes in the order they are tried.</summary>
        [JsonIgnore]
        public IEnumerable<AttributeMapping> MatchingAttributes => Attributes.Where(a => a.IsMatching).OrderBy(a => a.MatchingPrecedence);

        public ObjectMapping Clone() => new ObjectMapping
        {
            ObjectType = ObjectType,
            Enabled = Enabled,
            Actions = Actions.Clone(),
            Attributes = Attributes.Select(a => a.Clone()).ToList(),
            ScopingFilters = (ScopingFilters ?? new List<Scoping.ScopingFilter>()).Select(f => new Scoping.ScopingFilter(f.Name,
                f.Clauses.Select(c => new Scoping.ScopingClause(c.SourceAttribute, c.Operator, c.Value)).ToArray())).ToList(),
        };
    }
}
