/*
 * STAND-IN, NOT JOGET (joget-cluster rehearsal lab, Tests/lab).
 * GET /jw/web/console/home: a console page whose footer carries a "License" link and, in the
 * license pop-up markup, "System Key: <key>". GET /jw/web/json/plugin/
 * org.joget.apps.ext.ConsoleWebPlugin/service?spot=footer|settings returns the fragments alone.
 *
 * Activation stand-in: when WFLOW_HOME/lab-license-NODE.txt exists, the node counts as
 * licensed: the footer shows "Licensed to: <first line of the file>" and no license link or
 * pop-up. The system key is the lab's own (see Lab.systemKey), not Joget's algorithm.
 */
package standin.jw;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

public class ConsoleServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String node = Lab.nodeName(req);
        String path = req.getServletPath() + (req.getPathInfo() == null ? "" : req.getPathInfo());
        resp.setContentType("text/html");
        resp.setCharacterEncoding("UTF-8");
        resp.setHeader("Cache-Control", "no-store");
        PrintWriter w = resp.getWriter();
        if (path.startsWith("/web/json/plugin/")) {
            if (!path.equals("/web/json/plugin/org.joget.apps.ext.ConsoleWebPlugin/service")) {
                resp.sendError(404);
                return;
            }
            String spot = req.getParameter("spot");
            if ("settings".equals(spot)) {
                w.print(settings(node));
            } else if ("footer".equals(spot)) {
                w.print(footer(node));
            } else {
                resp.sendError(400, "spot=footer|settings");
            }
            return;
        }
        w.println("<!DOCTYPE html>");
        w.println("<html><head><meta charset=\"UTF-8\"><title>Joget DX 8 stand-in console</title></head><body>");
        w.println("<div id=\"header\"><h1>App Center (stand-in)</h1>");
        w.println("<p>joget-cluster rehearsal lab: a stand-in web app, not Joget.</p>");
        w.println("<p>Node <b id=\"node\">" + Lab.html(node) + "</b> on host " + Lab.html(Lab.hostname()) + "</p></div>");
        w.println("<div id=\"footer\">" + footer(node) + "</div>");
        w.println("</body></html>");
    }

    private static String footer(String node) throws IOException {
        Path lic = Lab.licenseFile(node);
        StringBuilder sb = new StringBuilder();
        sb.append("<div class=\"footer-text\">Powered by Joget DX ").append(Lab.VERSION)
                .append(" Enterprise Edition (stand-in)");
        if (Files.exists(lic)) {
            String first = Files.readString(lic, StandardCharsets.UTF_8).strip().split("\n", 2)[0];
            sb.append(" | <span id=\"licensed-to\">Licensed to: ").append(Lab.html(first)).append("</span></div>");
        } else {
            sb.append(" | <a id=\"license-link\" href=\"#license\">License</a></div>\n");
            sb.append("<div id=\"license\" class=\"license-popup\"><h3>License</h3>\n");
            sb.append("<p>System Key: <span id=\"system-key\">").append(Lab.systemKey()).append("</span></p>\n");
            sb.append("<form><label>Admin username <input name=\"username\"></label>")
                    .append("<label>Admin password <input name=\"password\" type=\"password\"></label>")
                    .append("<label>License key <textarea name=\"licenseKey\"></textarea></label></form></div>");
        }
        return sb.toString();
    }

    private static String settings(String node) {
        return "<div class=\"system\"><h3>System</h3>"
                + "<p>Version: " + Lab.VERSION + " (stand-in)</p>"
                + "<p>Node: " + Lab.html(node) + "</p>"
                + "<p>System Key: <span id=\"system-key\">" + Lab.systemKey() + "</span></p>"
                + "<p>Licensed: " + Files.exists(Lab.licenseFile(node)) + "</p></div>";
    }
}
