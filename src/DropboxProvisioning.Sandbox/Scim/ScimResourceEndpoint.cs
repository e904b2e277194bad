using System.Collections.Generic;
using System.Net.Http;

namespace DropboxProvisioning.Sandbox.Scim
{
    /// <summary>
    /// A SCIM resource type's endpoint (/Users, /Groups): the collection takes GET (list, filter, page) and POST,
    /// a resource takes GET, PUT, PATCH and DELETE; anything else is 405, as RFC 7644 section 3 lays out.
    /// </summary>
    internal abstract class ScimResourceEndpoint<T> where T : class
    {
        /// <summary>"/Users" or "/Groups", for the 405 message.</summary>
        protected abstract string Path { get; }

        public HttpResponseMessage Handle(ScimRequest r)
        {
            switch (r.Id == null ? "collection:" + r.Method : r.Method)
            {
                case "collection:GET": return List(r);
                case "collection:POST": return Create(r);
                case "GET": return Get(r);
                case "PUT": return Replace(r);
                case "PATCH": return Patch(r);
                case "DELETE": return Delete(r);
                default: return ScimResponses.MethodNotAllowed(r.Method, Path + (r.Id == null ? "" : "/{id}"));
            }
        }

        protected abstract HttpResponseMessage List(ScimRequest r);
        protected abstract HttpResponseMessage Create(ScimRequest r);
        protected abstract HttpResponseMessage Get(ScimRequest r);
        protected abstract HttpResponseMessage Replace(ScimRequest r);
        protected abstract HttpResponseMessage Patch(ScimRequest r);
        protected abstract HttpResponseMessage Delete(ScimRequest r);

        /// <summary>The candidates of an indexed lookup: the one found, or none.</summary>
        protected static List<T> One(T found) => found == null ? new List<T>() : new List<T> { found };
    }
}
