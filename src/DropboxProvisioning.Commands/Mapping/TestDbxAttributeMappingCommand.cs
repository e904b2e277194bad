using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using DropboxProvisioning.Commands.Infrastructure;
using DropboxProvisioning.Directory;
using DropboxProvisioning.Mapping;
using DropboxProvisioning.Mapping.Expressions;

namespace DropboxProvisioning.Commands.Mapping
{
    /// <summary>
    /// <para type="synopsis">Shows what the mappings make of one Entra user or group, or evaluates one expression: the expression builder.</para>
    /// <para type="description">Nothing is written. With -UserId the user is read from Entra ID; with -SourceAttributes the values come from a hashtable.</para>
    /// <para type="link">Get-DbxAttributeMapping</para>
    /// <para type="link">Set-DbxAttributeMapping</para>
    /// <para type="link">Add-DbxScopingFilter</para>
    /// </summary>
    /// <example>
    /// <para>Evaluates one expression on given values.</para>
    /// <code>
    /// Test-DbxAttributeMapping -SourceAttributes @{ userPrincipalName = 'adele@contoso.com' } -Expression 'ToLower(Word([userPrincipalName], 1, "@"))'
    /// </code>
    /// </example>
    /// <example>
    /// <para>Shows what the mappings make of one Entra user, and whether the user is in scope and why.</para>
    /// <code>
    /// Test-DbxAttributeMapping -UserId zoltan.jones@contoso.com
    /// </code>
    /// </example>
    /// <example>
    /// <para>Previews SelectUniqueValue when the first candidate is taken in Dropbox.</para>
    /// <code>
    /// Test-DbxAttributeMapping -SourceAttributes @{ givenName = 'Adele'; surname = 'Vance' } -TakenValue 'adele@contoso.com' -Expression 'SelectUniqueValue(Join("@", ToLower([givenName]), "contoso.com"), Join("@", ToLower(Join(".", [givenName], [surname])), "contoso.com"))'
    /// </code>
    /// </example>
    [Cmdlet(VerbsDiagnostic.Test, "DbxAttributeMapping", DefaultParameterSetName = "Attributes")]
    [OutputType(typeof(MappingPreview))]
    [OutputType(typeof(ExpressionTestResult))]
    public sealed class TestDbxAttributeMappingCommand : DbxConnectedCmdlet
    {
        /// <summary>The object mapping to test: User (default) or Group.</summary>
        [Parameter]
        public ObjectType ObjectType { get; set; } = ObjectType.User;

        /// <summary>An Entra user's object id or userPrincipalName, read through Graph.</summary>
        [Parameter(Mandatory = true, ParameterSetName = "User", ValueFromPipelineByPropertyName = true)]
        [Alias("Id", "UserPrincipalName")]
        [ValidateNotNullOrEmpty]
        public string UserId { get; set; }

        /// <summary>Source attribute values by Entra attribute name.</summary>
        [Parameter(Mandatory = true, ParameterSetName = "Attributes", Position = 0)]
        [AllowEmptyCollection]
        public Hashtable SourceAttributes { get; set; }

        /// <summary>The time Now() and date functions take as the present (default: the real time), to preview a date-dependent mapping.</summary>
        [Parameter]
        public DateTimeOffset Now { get; set; }

        /// <summary>Values SelectUniqueValue must treat as already taken in Dropbox.</summary>
        [Parameter]
        [AllowEmptyCollection]
        public string[] TakenValue { get; set; }

        /// <summary>Evaluate this expression instead of the saved mappings.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Expression { get; set; }

        protected override void OnProcessRecord()
        {
            SourceObject source;
            string entitled = null;
            var connection = ParameterSetName == "User" ? RequireConnection() : OptionalConnection();
            var configuration = connection == null ? new State.ProvisioningConfiguration() : Load(connection);

            if (ParameterSetName == "User")
            {
                var compiled = Compile(configuration, connection);
                var read = RunEngine((observer, cancel) => DropboxProvisioning.Sync.SingleObjectReader.ReadUserAsync(connection, configuration.Settings, compiled, UserId, cancel));
                source = read.User;
                entitled = read.NotEntitledReason;
            }
            else
            {
                source = new SourceObject(ObjectType == ObjectType.User ? SourceObjectKind.User : SourceObjectKind.Group,
                    Value(SourceAttributes, "objectId") as string ?? "(test)");
                foreach (DictionaryEntry entry in SourceAttributes)
                    source.Set(entry.Key.ToString(), Unwrap(entry.Value));
                if (source.Get(GraphAttributeNames.IsSoftDeleted) == null) source.Set(GraphAttributeNames.IsSoftDeleted, false);
            }

            if (Expression != null)
            {
                try
                {
                    WriteObject(ExpressionTestResult.Evaluate(Expression, source, Context()));
                }
                catch (ExpressionException e)
                {
                    WriteError(new ErrorRecord(e, ErrorPrefix + (e.ErrorId.StartsWith("Expression", StringComparison.Ordinal) ? e.ErrorId : "Expression" + e.ErrorId), ErrorCategory.InvalidArgument, Expression));
                }
                return;
            }
            WriteObject(MappingPreview.Build(Compile(configuration, connection), source, entitled, Context()));
        }

        /// <summary>The clock and the uniqueness check the expression sees.</summary>
        private ExpressionContext Context()
        {
            var context = new ExpressionContext();
            if (MyInvocation.BoundParameters.ContainsKey(nameof(Now)))
            {
                var now = Now;
                context.Clock = () => now;
            }
            if (TakenValue != null)
            {
                var taken = new HashSet<string>(TakenValue, StringComparer.OrdinalIgnoreCase);
                context.IsValueUnique = candidate => !taken.Contains(candidate);
            }
            return context;
        }

        private State.ProvisioningConfiguration Load(DropboxProvisioning.Connection.DbxConnection connection)
        {
            return connection.Store.LoadConfiguration();
        }

        /// <summary>Against the schema of the connection's API (SCIM when not connected).</summary>
        private CompiledMapping Compile(State.ProvisioningConfiguration configuration, DropboxProvisioning.Connection.DbxConnection connection)
        {
            return new CompiledMapping(configuration.Mappings.For(ObjectType), connection?.Api ?? DropboxProvisioning.Dropbox.DropboxApiKind.Scim);
        }

        private static object Value(Hashtable table, string key)
        {
            foreach (DictionaryEntry entry in table)
                if (string.Equals(entry.Key.ToString(), key, StringComparison.OrdinalIgnoreCase)) return Unwrap(entry.Value);
            return null;
        }

        /// <summary>PowerShell values as the engine's attribute values: strings, booleans, integers, lists of strings.</summary>
        private static object Unwrap(object value)
        {
            if (value is PSObject wrapped) value = wrapped.BaseObject;
            switch (value)
            {
                case null: return null;
                case string s: return s;
                case bool b: return b;
                case int i: return (long)i;
                case long l: return l;
                case DateTime d: return new DateTimeOffset(d.ToUniversalTime()).ToString("yyyy-MM-ddTHH:mm:ssZ");
                case DateTimeOffset o: return o.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ");
                case IEnumerable many: return many.Cast<object>().Select(v => LanguagePrimitives.ConvertTo<string>(Unwrap(v))).ToList();
                default: return LanguagePrimitives.ConvertTo<string>(value);
            }
        }
    }
}
