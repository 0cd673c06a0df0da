package dev.jfail.agent;

import dev.jfail.config.AgentArguments;
import dev.jfail.config.StartupSettings;
import dev.jfail.control.ControlSurfaces;
import dev.jfail.core.FailPointRegistry;
import dev.jfail.core.Messages;
import dev.jfail.core.Report;
import dev.jfail.core.RuntimeDeclarations;
import dev.jfail.tooling.AutoDeclaration;
import dev.jfail.tooling.Declaration;
import dev.jfail.tooling.FailPointTransformer;
import dev.jfail.tooling.Instrumenter;
import dev.jfail.tooling.OnFirstUse;
import dev.jfail.tooling.PointCatalog;
import dev.jfail.tooling.PointDeclaration;
import dev.jfail.tooling.Retransformer;
import dev.jfail.tooling.WarmUp;

import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The agent's entry points: {@code -javaagent:jfail-agent.jar=a=50%sleep(10);b=20%return(1)}
 * (premain), a dynamic attach (agentmain) and a {@code Launcher-Agent-Class} (agentmain).
 *
 * <p>Loading is idempotent: the first load installs the transformer, applies the start-up
 * settings ({@code FAILPOINTS}, {@code -Ddebug.fail_point.*}, {@code -Djfail.points}) and
 * instruments classes already loaded; any later load only applies its own argument. Nothing here
 * throws into the JVM: a problem is one line on stderr and the application runs on.
 */
public final class JFailAgent {

    /** Set in a JVM once the agent runs there, to its version: how the CLI tells it is loaded. */
    public static final String LOADED_PROPERTY = "jfail.agent.version";

    private static final Object LOCK = new Object();
    private static Installation installation; // guarded by LOCK

    private JFailAgent() {
    }

    public static void premain(String arguments, Instrumentation instrumentation) {
        load(arguments, instrumentation);
    }

    /** A dynamic attach, or a {@code Launcher-Agent-Class}; the CLI adds {@code --jmx} (control surfaces now) to its argument. */
    public static void agentmain(String arguments, Instrumentation instrumentation) {
        load(arguments, instrumentation);
    }

    /** Whether the agent runs in this JVM. */
    public static boolean installed() {
        synchronized (LOCK) {
            return installation != null;
        }
    }

    /**
     * Declares failpoints on methods named in {@code specs} ({@code name@Class#method[desc][:position]}
     * or {@code auto@CLASSES}, separated by commas or whitespace) and instruments those already loaded. All or nothing: a
     * malformed declaration, or one naming a method or position that an already-loaded class lacks,
     * throws with a one-line message. Returns the declarations.
     */
    public static List<String> declare(String specs) {
        List<Declaration> parsed = Declaration.parseList(specs);
        synchronized (LOCK) {
            if (installation == null) {
                throw new IllegalStateException("the jfail agent is not loaded in this JVM");
            }
            installation.declare(parsed, true);
        }
        return parsed.stream().map(Declaration::toString).toList();
    }

    /** Every declaration made from configuration so far ({@code auto@} ones as written, not the points they placed). */
    public static List<String> declarations() {
        synchronized (LOCK) {
            return installation == null ? List.of()
                    : installation.catalog.all().stream().map(Declaration::toString).sorted().toList();
        }
    }

    /** The explicit declarations of the point {@code name}, one per site (see {@link RuntimeDeclarations#declarationsOf}). */
    public static List<String> declarationsOf(String name) {
        synchronized (LOCK) {
            return installation == null ? List.of()
                    : installation.catalog.declarationsOf(name).stream().map(PointDeclaration::toString).toList();
        }
    }

    /** The names of the points {@code auto@} declarations have placed so far, sorted. */
    public static List<String> automaticPoints() {
        synchronized (LOCK) {
            return installation == null ? List.of()
                    : installation.catalog.automaticPoints().stream().map(PointDeclaration::name).distinct().sorted().toList();
        }
    }

    private static void load(String arguments, Instrumentation instrumentation) {
        try {
            AgentArguments parsed = parseQuietly(arguments);
            synchronized (LOCK) {
                if (installation == null) {
                    installation = Installation.install(instrumentation, parsed);
                    RuntimeDeclarations.install(new RuntimeDeclarations.Declarer() { // no lambda: see Installation
                        @Override
                        public List<String> declare(String specs) {
                            return JFailAgent.declare(specs);
                        }

                        @Override
                        public List<String> declarations() {
                            return JFailAgent.declarations();
                        }

                        @Override
                        public List<String> declarationsOf(String point) {
                            return JFailAgent.declarationsOf(point);
                        }

                        @Override
                        public List<String> automaticPoints() {
                            return JFailAgent.automaticPoints();
                        }
                    });
                } else {
                    installation.declare(parsed.declarations(), false);
                    StartupSettings.applyAll(installation.registry, "agent argument", parsed.settings());
                }
            }
            ControlSurfaces.start(parsed.jmxNow());
        } catch (Throwable t) {
            Report.error("the agent could not start (" + Messages.oneLine(t) + "); the application runs without it");
        }
    }

    private static AgentArguments parseQuietly(String arguments) {
        try {
            return AgentArguments.parse(arguments);
        } catch (IllegalArgumentException e) {
            Report.error("agent argument: " + e.getMessage() + " (ignored)");
            return AgentArguments.NONE;
        }
    }

    /** What one JVM's agent consists of once installed. */
    private static final class Installation {
        final FailPointRegistry registry;
        final PointCatalog catalog;
        final Retransformer retransformer;

        private Installation(FailPointRegistry registry, PointCatalog catalog, Retransformer retransformer) {
            this.registry = registry;
            this.catalog = catalog;
            this.retransformer = retransformer;
        }

        static Installation install(Instrumentation instrumentation, AgentArguments arguments) {
            FailPointRegistry registry = FailPointRegistry.global();
            PointCatalog catalog = new PointCatalog();
            Retransformer retransformer = new Retransformer(instrumentation, catalog);
            List<Declaration> declared = new ArrayList<>(StartupSettings.declaredByProperty(System.getProperties()));
            declared.addAll(arguments.declarations());
            catalog.add(acceptable(retransformer, declared, false));

            StartupSettings.applyEnvironment(registry, System.getenv());
            StartupSettings.applyProperties(registry, System.getProperties());
            StartupSettings.applyAll(registry, "agent argument", arguments.settings());

            // the instrumenter is made once, by the background warm-up or the first class carrying a
            // failpoint, whichever comes first (and no lambda here: the first one a JVM links costs
            // milliseconds of start-up)
            OnFirstUse<Instrumenter> instrumenter = new OnFirstUse<>(new Supplier<Instrumenter>() {
                @Override
                public Instrumenter get() {
                    return new Instrumenter(instrumentation, registry);
                }
            });
            FailPointTransformer transformer = new FailPointTransformer(catalog, instrumenter);
            // Once registered, the transformer sees every class the JVM loads, JDK internals
            // included: its fast path must not load a class itself (a class it needs while the JVM
            // loads, say, ConcurrentHashMap$ForwardingNode would be a ClassCircularityError).
            transformer.warmUp();
            instrumentation.addTransformer(transformer, instrumentation.isRetransformClassesSupported());
            WarmUp.start(instrumenter);
            int retransformed = retransformer.retransformCarriers();
            String version = JFailAgent.class.getPackage().getImplementationVersion();
            System.setProperty(LOADED_PROPERTY, version == null ? "development" : version);
            if (Report.verbose()) {
                Report.verbose("agent " + System.getProperty(LOADED_PROPERTY) + " installed from "
                        + JFailAgentLocation.of(JFailAgent.class) + "; " + retransformed + " loaded classes retransformed");
            }
            return new Installation(registry, catalog, retransformer);
        }

        /** Declares {@code specs}; one naming what a loaded class lacks is refused (thrown) or reported and left out. */
        void declare(List<Declaration> specs, boolean refuse) {
            List<Declaration> accepted = acceptable(retransformer, specs, refuse);
            List<AutoDeclaration> autos = new ArrayList<>();
            for (Declaration d : accepted) {
                if (d instanceof AutoDeclaration auto) {
                    autos.add(auto);
                }
            }
            retransformer.retransformNamed(catalog.add(accepted), autos);
        }

        private static List<Declaration> acceptable(Retransformer retransformer, List<Declaration> specs, boolean refuse) {
            List<Declaration> accepted = new ArrayList<>();
            for (Declaration declaration : specs) {
                String problem = declaration instanceof PointDeclaration spec ? retransformer.problemWithLoaded(spec) : null;
                if (problem == null) {
                    accepted.add(declaration);
                } else if (refuse) {
                    throw new IllegalArgumentException("declaration " + declaration + " refused: " + problem);
                } else {
                    Report.error("declaration " + declaration + ": " + problem + " (ignored)");
                }
            }
            return accepted;
        }
    }
}
