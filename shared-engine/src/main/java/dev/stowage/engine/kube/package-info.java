/**
 * The Kubernetes side of the functions: reading Secrets, Repositories and AppBindings, claiming
 * sessions with resourceVersion preconditions, and writing session and repository status.
 */
package dev.stowage.engine.kube;
