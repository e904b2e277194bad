using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Dropbox
{
    // The enums the cmdlets write are 64-bit so that ConvertTo-Json writes them by name (README, "Exports").
    /// <summary>Which Dropbox API a connection provisions through.</summary>
    public enum DropboxApiKind : long { Scim, TeamApi }

    /// <summary>
    /// The Dropbox team as the cycle writes to it, whichever API is behind: SCIM 2.0 or the Team API v2. Accounts and
    /// groups are exchanged as SCIM-shaped resources (id, userName, name, emails, externalId, active; id, displayName,
    /// externalId, members), so the planner, the state and the mappings are the same for both targets; a Team API
    /// target translates them to and from members/* and groups/*. Failures are <see cref="DropboxTargetException"/>.
    /// </summary>
    public interface IDropboxTarget
    {
        DropboxApiKind Kind { get; }

        /// <summary>Where the target lives (the SCIM base URL, or the API root).</summary>
        Uri Endpoint { get; }

        /// <summary>How many users one create call takes (1 for SCIM, 20 for members/add_v2).</summary>
        int CreateBatchSize { get; }

        /// <summary>The API's name in messages ("SCIM", "Team API").</summary>
        string DisplayName { get; }

        /// <summary>Said when a suspension removed a member who had not joined yet, since Dropbox cannot suspend one.</summary>
        string InvitedRemovedInstead { get; }

        /// <summary>Added after "it did not take the mapping's value" when this API cannot set such a value ("" when it could have).</summary>
        string DeclinedBecause { get; }

        /// <summary>The body a create of a "Users" or "Groups" resource starts from.</summary>
        JObject NewResource(string resource);

        /// <summary>The patch operation that sets one attribute.</summary>
        JObject ReplaceOperation(string path, JToken value);

        /// <summary>The patch operation that adds ("Add") or removes ("Remove") group members by Dropbox id.</summary>
        JObject MembersOperation(string op, IEnumerable<string> memberIds);

        /// <summary>"Test Connection": one cheap read.</summary>
        Task TestAsync(CancellationToken cancellationToken);

        /// <summary>Every "Users" or "Groups" resource (groups without members).</summary>
        Task ListAllAsync(string resource, Action<JObject> onItem, CancellationToken cancellationToken);

        /// <summary>The resource whose attribute equals the value (SCIM: filter eq), or null.</summary>
        Task<JObject> FindAsync(string resource, string attribute, string value, CancellationToken cancellationToken);

        /// <summary>One resource by id (groups with members); 404 <see cref="DropboxTargetException"/> when gone.</summary>
        Task<JObject> GetAsync(string resource, string id, CancellationToken cancellationToken);

        Task<JObject> CreateAsync(string resource, JObject body, CancellationToken cancellationToken);

        /// <summary>Creates up to <see cref="CreateBatchSize"/> users in one call: per user the created resource or the refusal.</summary>
        Task<IReadOnlyList<TargetCreateResult>> CreateUsersAsync(IReadOnlyList<JObject> bodies, CancellationToken cancellationToken);

        /// <summary>SCIM PATCH operations (Replace, Add, Remove); returns the resource after, or null when none came back (an invited user removed instead of suspended).</summary>
        Task<JObject> PatchAsync(string resource, string id, IEnumerable<JObject> operations, CancellationToken cancellationToken);

        Task DeleteAsync(string resource, string id, CancellationToken cancellationToken);
    }

    /// <summary>One user of a batch create: the resource Dropbox made, or why it did not.</summary>
    public sealed class TargetCreateResult
    {
        public JObject Created { get; set; }
        public DropboxTargetException Error { get; set; }
    }
}
