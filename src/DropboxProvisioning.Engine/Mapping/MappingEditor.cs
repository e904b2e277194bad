using System;
using System.Linq;
using DropboxProvisioning.Errors;

namespace DropboxProvisioning.Mapping
{
    /// <summary>Finds the attribute mapping a change is about (whole configurations are edited by <see cref="State.ConfigurationEditor"/>).</summary>
    public static class MappingEditor
    {
        public static AttributeMapping Find(ObjectMapping mapping, string targetAttribute)
        {
            var normalized = TargetSchema.Normalize(targetAttribute);
            return mapping.Attributes.FirstOrDefault(a => string.Equals(TargetSchema.Normalize(a.TargetAttribute), normalized, StringComparison.OrdinalIgnoreCase));
        }

        public static AttributeMapping Require(ObjectMapping mapping, string targetAttribute) =>
            Find(mapping, targetAttribute) ?? throw new DbxException("MappingNotFound", DbxErrorCategory.ObjectNotFound,
                $"The {mapping.ObjectType} mapping has no mapping to '{targetAttribute}'. Add one with Add-DbxAttributeMapping.", target: targetAttribute);
    }
}
