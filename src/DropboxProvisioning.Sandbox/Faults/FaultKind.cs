namespace DropboxProvisioning.Sandbox.Faults
{
    /// <summary>The kinds of trouble the sandbox can make on the wire, as real services and networks do.</summary>
    public enum FaultKind
    {
        /// <summary>429 Too Many Requests with Retry-After, in a run of <see cref="FaultRule.Burst"/> requests (a throttling storm). Nothing applied.</summary>
        Throttle,
        /// <summary>500 Internal Server Error. Nothing applied.</summary>
        InternalServerError,
        /// <summary>502 Bad Gateway. Nothing applied.</summary>
        BadGateway,
        /// <summary>503 Service Unavailable, with Retry-After. Nothing applied.</summary>
        ServiceUnavailable,
        /// <summary>
        /// The answer takes <see cref="FaultRule.Delay"/> (meant to outlast the client's timeout). In-process the request is
        /// applied only if the client is still waiting when the delay ends; over a socket the server finishes it regardless.
        /// </summary>
        Slow,
        /// <summary>The connection drops in the middle of the response body; the request was not applied.</summary>
        DropConnection,
        /// <summary>The request is applied and answered with its real status, but the JSON body is cut short or garbled.</summary>
        MalformedJson,
        /// <summary>The request is applied (a write succeeds), then the connection drops in the middle of the response.</summary>
        LostResponseDropped,
        /// <summary>The request is applied (a write succeeds), then a proxy answers 502 in its place.</summary>
        LostResponseBadGateway,
    }

    /// <summary>Which requests a rule may hit.</summary>
    public enum FaultMethods
    {
        Any,
        /// <summary>GET and HEAD.</summary>
        Reads,
        /// <summary>POST, PUT, PATCH, DELETE.</summary>
        Writes,
    }
}
