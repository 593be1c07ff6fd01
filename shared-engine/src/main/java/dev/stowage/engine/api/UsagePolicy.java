package dev.stowage.engine.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Which namespaces may use a {@link Repository}; see {@link UsagePolicies}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class UsagePolicy extends ModelObject {
    private AllowedNamespaces allowedNamespaces;

    public AllowedNamespaces getAllowedNamespaces() {
        return allowedNamespaces;
    }

    public void setAllowedNamespaces(AllowedNamespaces allowedNamespaces) {
        this.allowedNamespaces = allowedNamespaces;
    }
}
