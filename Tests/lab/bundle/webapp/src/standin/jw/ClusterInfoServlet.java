/*
 * STAND-IN, NOT JOGET (joget-cluster rehearsal lab, Tests/lab).
 * GET /jw/web/json/cluster/info: which node answered, and a per-session counter kept in the
 * HttpSession as a Serializable Integer, so Tomcat session replication carries it; and the
 * version the stand-in bundle was built as (Lab.VERSION, from WEB-INF/classes/
 * standin-version.properties), so a test can see which version a node runs.
 */
package standin.jw;

import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

public class ClusterInfoServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        HttpSession s = req.getSession(true);
        String node = Lab.nodeName(req);
        Object c = s.getAttribute("lab.counter");
        int n = c instanceof Integer i ? i + 1 : 1;
        s.setAttribute("lab.counter", Integer.valueOf(n));
        if (s.getAttribute("lab.createdOn") == null) {
            s.setAttribute("lab.createdOn", node);
        }
        s.setAttribute("lab.lastNode", node);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("standIn", "joget-cluster lab stand-in, not Joget");
        out.put("node", node);
        out.put("version", Lab.VERSION);
        out.put("hostname", Lab.hostname());
        out.put("jvmRoute", Lab.jvmRoute());
        out.put("wflowHome", Lab.wflowHome().toString());
        out.put("sessionId", s.getId());
        out.put("sessionNew", s.isNew());
        out.put("sessionCreatedOn", s.getAttribute("lab.createdOn"));
        out.put("counter", n);
        out.put("systemKey", Lab.systemKey());
        out.put("mac", Lab.mac());
        out.put("profile", Lab.profile());
        out.put("fileEncoding", System.getProperty("file.encoding"));
        out.put("jnuEncoding", System.getProperty("sun.jnu.encoding"));
        out.put("time", Instant.now().toString());
        Lab.sendJson(resp, 200, out);
    }
}
