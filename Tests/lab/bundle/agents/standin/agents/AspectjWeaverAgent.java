/*
 * STAND-IN, NOT JOGET: a minimal Java agent used by the joget-cluster rehearsal lab
 * (Tests/lab) in place of the real aspectjweaver jar of a Joget DX 8 bundle. It only proves that
 * the JVM accepts -javaagent: for this jar, and says so on standard output.
 */
package standin.agents;

import java.lang.instrument.Instrumentation;

public final class AspectjWeaverAgent {
    private AspectjWeaverAgent() {
    }

    public static void premain(String args, Instrumentation inst) {
        String node = System.getProperty("wflow.name", "");
        String home = System.getProperty("wflow.home", "");
        System.out.println("stand-in agent aspectjweaver loaded"
                + (node.isEmpty() ? "" : " (wflow.name=" + node + ")")
                + (home.isEmpty() ? "" : " (wflow.home=" + home + ")"));
    }

    public static void agentmain(String args, Instrumentation inst) {
        premain(args, inst);
    }
}
