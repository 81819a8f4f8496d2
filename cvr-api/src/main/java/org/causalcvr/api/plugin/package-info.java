/**
 * Plugin discovery: a {@link org.causalcvr.api.plugin.CvrPlugin} is a Guice module found by {@link
 * java.util.ServiceLoader} that registers estimator and backend factories by name through {@link
 * org.causalcvr.api.plugin.CvrBinders}; {@link org.causalcvr.api.plugin.CvrRuntime} installs every
 * plugin on the class path and looks factories up by name (an unknown name fails naming the nearest
 * known one; two plugins registering one name fail with {@link
 * org.causalcvr.api.plugin.DuplicateNameException}).
 */
package org.causalcvr.api.plugin;
