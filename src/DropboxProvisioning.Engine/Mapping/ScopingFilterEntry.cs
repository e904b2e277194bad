using System.Collections.Generic;
using System.Linq;
using DropboxProvisioning.Collections;
using DropboxProvisioning.Mapping.Scoping;

namespace DropboxProvisioning.Mapping
{
    /// <summary>A scoping filter as Get-DbxScopingFilter shows it: with its object type and its clauses in Entra's words.</summary>
    public sealed class ScopingFilterEntry
    {
        public ScopingFilterEntry(ObjectType objectType, ScopingFilter filter)
        {
            ObjectType = objectType;
            Name = filter.Name;
            Clauses = new TextList<ScopingClause>(filter.Clauses);
            Text = string.Join(" AND ", Clauses.Select(c => c.ToString()));
        }

        public ObjectType ObjectType { get; }
        public string Name { get; }
        public IReadOnlyList<ScopingClause> Clauses { get; }
        /// <summary>The clauses joined with AND, as one line.</summary>
        public string Text { get; }
    }
}
