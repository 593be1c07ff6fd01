package dev.stowage.engine.api;

/** Which namespaces may use a Repository (Stash {@code usagePolicy.allowedNamespaces.from}). */
public enum FromNamespaces {
    All,
    Same,
    Selector
}
