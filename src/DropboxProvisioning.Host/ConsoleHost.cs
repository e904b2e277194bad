using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

namespace DropboxProvisioning.Host
{
    /// <summary>The least a PSHost needs so that Out-Default, Write-Progress, -Verbose and warnings reach the console.</summary>
    internal sealed class ConsoleHost : PSHost
    {
        private readonly Guid _id = Guid.NewGuid();
        private readonly ConsoleUserInterface _ui = new ConsoleUserInterface();
        public override string Name => "dbxhost";
        public override Version Version => new Version(0, 1);
        public override Guid InstanceId => _id;
        public override PSHostUserInterface UI => _ui;
        public override CultureInfo CurrentCulture => CultureInfo.CurrentCulture;
        public override CultureInfo CurrentUICulture => CultureInfo.CurrentUICulture;
        public override void SetShouldExit(int exitCode) { }
        public override void EnterNestedPrompt() => throw new NotSupportedException();
        public override void ExitNestedPrompt() => throw new NotSupportedException();
        public override void NotifyBeginApplication() { }
        public override void NotifyEndApplication() { }
    }

    internal sealed class ConsoleUserInterface : PSHostUserInterface
    {
        private readonly ConsoleRawUserInterface _raw = new ConsoleRawUserInterface();
        // The formatter writes VT colour sequences; a file or a pipe gets plain text, as from pwsh.
        private static readonly System.Text.RegularExpressions.Regex Escapes = new System.Text.RegularExpressions.Regex(@"\x1b\[[0-9;]*[A-Za-z]");
        private static readonly bool Plain = Console.IsOutputRedirected;
        private static string Render(string value) => Plain && value != null ? Escapes.Replace(value, "") : value;

        public override PSHostRawUserInterface RawUI => _raw;
        public override void Write(string value) => Console.Write(Render(value));
        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Console.Write(Render(value));
        public override void WriteLine(string value) => Console.WriteLine(Render(value));
        public override void WriteErrorLine(string value) => Console.Error.WriteLine(value);
        public override void WriteDebugLine(string message) => Console.Error.WriteLine("DEBUG: " + message);
        public override void WriteVerboseLine(string message) => Console.Error.WriteLine("VERBOSE: " + message);
        public override void WriteWarningLine(string message) => Console.Error.WriteLine("WARNING: " + message);
        public override void WriteProgress(long sourceId, ProgressRecord record) { }
        public override string ReadLine() => Console.In.ReadLine();
        public override SecureString ReadLineAsSecureString()
        {
            var secure = new SecureString();
            foreach (var c in Console.In.ReadLine() ?? string.Empty) secure.AppendChar(c);
            secure.MakeReadOnly();
            return secure;
        }
        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions)
            => throw new PSInvalidOperationException("dbxhost does not prompt; pass every parameter on the command line.");
        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice) => defaultChoice;
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName)
            => throw new PSInvalidOperationException("dbxhost does not prompt for credentials.");
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options)
            => throw new PSInvalidOperationException("dbxhost does not prompt for credentials.");
    }

    internal sealed class ConsoleRawUserInterface : PSHostRawUserInterface
    {
        public override ConsoleColor BackgroundColor { get; set; } = ConsoleColor.Black;
        public override ConsoleColor ForegroundColor { get; set; } = ConsoleColor.Gray;
        public override Size BufferSize { get => new Size(Width, 3000); set { } }
        public override Coordinates CursorPosition { get; set; }
        public override int CursorSize { get; set; } = 1;
        public override bool KeyAvailable => false;
        public override Size MaxPhysicalWindowSize => new Size(Width, 50);
        public override Size MaxWindowSize => new Size(Width, 50);
        public override Coordinates WindowPosition { get; set; }
        public override Size WindowSize { get => new Size(Width, 50); set { } }
        public override string WindowTitle { get; set; } = "dbxhost";
        private static int Width
        {
            get
            {
                try { return Console.IsOutputRedirected ? 160 : Math.Max(80, Console.WindowWidth); }
                catch (System.IO.IOException) { return 160; }
            }
        }
        public override void FlushInputBuffer() { }
        public override BufferCell[,] GetBufferContents(Rectangle rectangle) => throw new NotSupportedException();
        public override KeyInfo ReadKey(ReadKeyOptions options) => throw new NotSupportedException();
        public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill) { }
        public override void SetBufferContents(Coordinates origin, BufferCell[,] contents) { }
        public override void SetBufferContents(Rectangle rectangle, BufferCell fill) { }
    }
}
