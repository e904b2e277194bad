using System.Reflection;
using Newtonsoft.Json;
using Newtonsoft.Json.Serialization;

namespace DropboxProvisioning.State
{
    /// <summary>
    /// The contract of the engine's own files: the engine never writes a null (it leaves the key out), so a null in a
    /// file is damage, refused where it stands rather than read as "nothing" (<c>"Users": null</c> would otherwise be
    /// a job that manages nobody).
    /// </summary>
    internal sealed class StrictContractResolver : DefaultContractResolver
    {
        public StrictContractResolver(NamingStrategy naming = null)
        {
            if (naming != null) NamingStrategy = naming;
        }

        protected override JsonProperty CreateProperty(MemberInfo member, MemberSerialization memberSerialization)
        {
            var property = base.CreateProperty(member, memberSerialization);
            if (property.Required == Required.Default) property.Required = Required.DisallowNull;
            return property;
        }
    }
}
