using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using DropboxProvisioning.Commands.Infrastructure;
using DropboxProvisioning.Errors;
using DropboxProvisioning.Mapping;
using DropboxProvisioning.Mapping.Scoping;
using DropboxProvisioning.Commands.Completion;

namespace DropboxProvisioning.Commands.Mapping
{
    /// <summary>
    /// <para type="synopsis">Adds a scoping filter: clauses on Entra attributes that must all hold for an object to be provisioned.</para>
    /// <para type="description">Operators, as in the Entra admin center: EQUALS, NOT EQUALS, IS TRUE, IS FALSE, IS NULL, IS NOT NULL, REGEX MATCH, NOT REGEX MATCH, GREATER_THAN, GREATER_THAN_OR_EQUALS, INCLUDES, ENDS_WITH, &amp;, !&amp;. Objects that leave scope are suspended by the next cycle: run Invoke-DbxProvisioningCycle -WhatIf first.</para>
    /// <para type="link">Get-DbxScopingFilter</para>
    /// <para type="link">Remove-DbxScopingFilter</para>
    /// <para type="link">Invoke-DbxProvisioningCycle</para>
    /// </summary>
    /// <example>
    /// <para>Provisions only users of the Sales department.</para>
    /// <code>
    /// Add-DbxScopingFilter -Name Sales -Clause @{ Attribute = 'department'; Operator = 'EQUALS'; Value = 'Sales' }
    /// </code>
    /// </example>
    /// <example>
    /// <para>Provisions members, not guests: a one-clause filter.</para>
    /// <code>
    /// Add-DbxScopingFilter -Name 'Members only' -SourceAttribute userType -Operator EQUALS -Value Member
    /// </code>
    /// </example>
    /// <example>
    /// <para>A filter of two clauses that must both hold: enabled accounts whose job title does not say contractor; then previews what the next cycle would do.</para>
    /// <code>
    /// Add-DbxScopingFilter -Name 'Employees' -Clause @{ Attribute = 'jobTitle'; Operator = 'NOT REGEX MATCH'; Value = '(?i)contractor' }, @{ Attribute = 'accountEnabled'; Operator = 'IS TRUE' }
    /// Invoke-DbxProvisioningCycle -WhatIf
    /// </code>
    /// </example>
    [Cmdlet(VerbsCommon.Add, "DbxScopingFilter", SupportsShouldProcess = true, DefaultParameterSetName = "Clause")]
    [OutputType(typeof(ScopingFilterEntry))]
    public sealed class AddDbxScopingFilterCommand : DbxConfigurationCmdlet
    {
        /// <summary>The object mapping the filter applies to: User (default) or Group.</summary>
        [Parameter]
        public ObjectType ObjectType { get; set; } = ObjectType.User;

        /// <summary>The filter's name (Entra's scoping filter title), unique within the object mapping.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; }

        /// <summary>Clauses as hashtables with Attribute, Operator and (where the operator needs one) Value.</summary>
        [Parameter(Mandatory = true, ParameterSetName = "Clause")]
        [ValidateNotNullOrEmpty]
        public Hashtable[] Clause { get; set; }

        /// <summary>A one-clause filter: the attribute.</summary>
        [Parameter(Mandatory = true, ParameterSetName = "Single")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(SourceAttributeCompleter))]
        public string SourceAttribute { get; set; }

        /// <summary>The clause's operator: EQUALS, NOT EQUALS, IS TRUE, IS FALSE, IS NULL, IS NOT NULL, REGEX MATCH, NOT REGEX MATCH, GREATER_THAN, GREATER_THAN_OR_EQUALS, INCLUDES, ENDS_WITH, &amp; (exists), !&amp; (does not exist).</summary>
        [Parameter(Mandatory = true, ParameterSetName = "Single")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ScopingOperatorCompleter))]
        public string Operator { get; set; }

        /// <summary>The value the operator compares with (a regular expression for REGEX MATCH); none for IS TRUE, IS NULL and the like.</summary>
        [Parameter(ParameterSetName = "Single")]
        public string Value { get; set; }

        protected override void OnProcessRecord()
        {
            var clauses = new List<ScopingClause>();
            if (ParameterSetName == "Single") clauses.Add(MakeClause(SourceAttribute, Operator, Value));
            else
            {
                foreach (var table in Clause)
                {
                    var keys = table.Keys.Cast<object>().Select(k => k.ToString()).ToList();
                    var unknown = keys.FirstOrDefault(k => !new[] { "Attribute", "SourceAttribute", "Operator", "Value" }.Contains(k, System.StringComparer.OrdinalIgnoreCase));
                    if (unknown != null)
                        ThrowTerminating("InvalidClause", ErrorCategory.InvalidArgument, $"A clause has the key '{unknown}'; use Attribute, Operator and Value.", table);
                    clauses.Add(MakeClause(Get(table, "Attribute") ?? Get(table, "SourceAttribute"), Get(table, "Operator"), Get(table, "Value")));
                }
            }

            var saved = EditConfiguration($"{ObjectType} scoping filters", $"Add scoping filter '{Name}': {string.Join(" AND ", clauses)}", configuration =>
            {
                var filters = configuration.Mappings.For(ObjectType).ScopingFilters;
                if (filters.Any(f => string.Equals(f.Name, Name, System.StringComparison.OrdinalIgnoreCase)))
                    throw new DbxException("ScopingFilterExists", DbxErrorCategory.ResourceExists, $"The {ObjectType} mapping already has a scoping filter named '{Name}'.", target: Name);
                filters.Add(new ScopingFilter(Name, clauses.ToArray()));
            });
            if (saved != null) WriteObject(new ScopingFilterEntry(ObjectType, saved.Mappings.For(ObjectType).ScopingFilters.Last()));
        }

        private static string Get(Hashtable table, string key)
        {
            foreach (DictionaryEntry entry in table)
                if (string.Equals(entry.Key.ToString(), key, System.StringComparison.OrdinalIgnoreCase))
                    return entry.Value == null ? null : LanguagePrimitives.ConvertTo<string>(entry.Value);
            return null;
        }

        private ScopingClause MakeClause(string attribute, string op, string value)
        {
            if (string.IsNullOrWhiteSpace(attribute))
                ThrowTerminating("InvalidClause", ErrorCategory.InvalidArgument, "A clause needs the Entra attribute it tests (Attribute).");
            var parsed = default(ScopingOperator);
            if (op == null || !ScopingOperators.TryParse(op, out parsed))
                ThrowTerminating("UnknownOperator", ErrorCategory.InvalidArgument,
                    $"'{op}' is not a scoping operator. Use one of: EQUALS, NOT EQUALS, IS TRUE, IS FALSE, IS NULL, IS NOT NULL, REGEX MATCH, NOT REGEX MATCH, GREATER_THAN, GREATER_THAN_OR_EQUALS, INCLUDES, ENDS_WITH, &, !&.", op);
            return new ScopingClause(attribute, parsed, value);
        }
    }
}
