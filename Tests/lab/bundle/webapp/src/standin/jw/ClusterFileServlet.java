/*
 * STAND-IN, NOT JOGET (joget-cluster rehearsal lab, Tests/lab).
 * GET /jw/web/json/cluster/file?write=NAME[&content=TEXT] and ?read=NAME: a small file in
 * WFLOW_HOME/lab-shared/, to show that the nodes share one wflow directory. NAME may hold
 * letters of any script, as file names in Joget apps do.
 */
package standin.jw;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

public class ClusterFileServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        String node = Lab.nodeName(req);
        out.put("node", node);
        String write = req.getParameter("write");
        String read = req.getParameter("read");
        String name = write != null ? write : read;
        // Letters of any script: a JVM whose file names are not UTF-8 cannot make such a file.
        if (name == null || !name.matches("[\\p{L}\\p{N}._-]{1,100}") || name.startsWith(".")) {
            out.put("ok", false);
            out.put("error", "use ?write=NAME or ?read=NAME, NAME of letters, digits and ._-");
            Lab.sendJson(resp, 400, out);
            return;
        }
        Path dir = Lab.wflowHome().resolve("lab-shared");
        Path file = dir.resolve(name);
        out.put("path", file.toString());
        try {
            if (write != null) {
                String content = req.getParameter("content");
                if (content == null) {
                    content = "written by " + node + " on " + Lab.hostname() + " at " + Instant.now();
                }
                Files.createDirectories(dir);
                Files.writeString(file, content + "\n", StandardCharsets.UTF_8);
                out.put("ok", true);
                out.put("written", content);
            } else {
                if (!Files.exists(file)) {
                    out.put("ok", false);
                    out.put("error", "no such file");
                    Lab.sendJson(resp, 404, out);
                    return;
                }
                out.put("ok", true);
                out.put("content", Files.readString(file, StandardCharsets.UTF_8).strip());
            }
            Lab.sendJson(resp, 200, out);
        } catch (IOException | java.nio.file.InvalidPathException e) {
            out.put("ok", false);
            out.put("error", e.toString());
            Lab.sendJson(resp, 500, out);
        }
    }
}
