using System;
using System.Collections.Generic;
using DropboxProvisioning.Collections;
using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace DropboxProvisioning.State
{
    /// <summary>One provisioning log record, shaped like Entra's provisioning logs.</summary>
    public sealed class ProvisioningLogRecord
    {
        public DateTimeOffset Time { get; set; }
        public string CycleId { get; set; }
        public string ChangeId { get; set; }
        [JsonConverter(typeof(StringEnumConverter))]
        public ChangeAction Action { get; set; }
        [JsonConverter(typeof(StringEnumConverter))]
        public ChangeStatus Status { get; set; }
        public string StatusDetails { get; set; }
        public string ObjectType { get; set; }
        public string SourceId { get; set; }
        public string SourceIdentity { get; set; }
        public string TargetId { get; set; }
        public string TargetIdentity { get; set; }

        /// <summary>A drift repair: the change put back what was changed in Dropbox by hand (Get-DbxProvisioningLog -Drift). Left out of the log while false.</summary>
        [JsonProperty(DefaultValueHandling = DefaultValueHandling.Ignore)]
        public bool Drift { get; set; }
        private List<ModifiedProperty> _modifiedProperties = new TextList<ModifiedProperty>();

        /// <summary>The attributes the change set; a <see cref="TextList{T}"/>, so that Export-Csv writes them as text.</summary>
        public List<ModifiedProperty> ModifiedProperties
        {
            get => _modifiedProperties;
            set => _modifiedProperties = value == null || value is TextList<ModifiedProperty> ? value : new TextList<ModifiedProperty>(value);
        }

        /// <summary>The modified properties as one line ("name: 'old' -> 'new'; ..."), for CSV and SIEM export.</summary>
        [JsonIgnore]
        public string ModifiedPropertiesText => string.Join("; ", ModifiedProperties.ConvertAll(p => p.ToString()));
    }
}
