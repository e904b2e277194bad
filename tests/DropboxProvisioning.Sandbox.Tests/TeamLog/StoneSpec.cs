using System;
using System.IO;
using DropboxProvisioning.Sandbox.DropboxApi;

namespace DropboxProvisioning.Sandbox.Tests.TeamLog
{
    /// <summary>Dropbox's Stone files the emulator tests hold every JSON body to, loaded once for all of them.</summary>
    internal static class StoneSpec
    {
        private static readonly Lazy<StoneSchema> Loaded = new Lazy<StoneSchema>(() => StoneSchema.LoadDirectory(Directory()));

        public static StoneSchema Schema => Loaded.Value;

        private static string Directory()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            {
                var spec = Path.Combine(dir.FullName, "tests", "DropboxProvisioning.Sandbox.Tests", "TeamLog", "Spec");
                if (System.IO.Directory.Exists(spec)) return spec;
            }
            throw new InvalidOperationException("Spec folder not found");
        }
    }
}
