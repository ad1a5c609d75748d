/*
 * STAND-IN, NOT JOGET (joget-cluster rehearsal lab, Tests/lab).
 * GET /jw/web/json/cluster/db: reads WFLOW_HOME/app_datasource.properties (currentProfile),
 * then app_datasource-PROFILE.properties with java.util.Properties, as Joget does, connects
 * with workflowDriver/workflowUrl/workflowUser/workflowPassword and lists the schema's tables.
 *
 * Stand-in behaviour (Lab.connect): the WAR carries only MariaDB Connector/J. When
 * workflowDriver names a MySQL Connector/J class (com.mysql.cj.jdbc.Driver or
 * com.mysql.jdbc.Driver) that is not on the class path, the MariaDB driver is used instead and
 * a jdbc:mysql: URL is rewritten to jdbc:mariadb: (Connector/J 3 would otherwise want
 * permitMysqlScheme). The answer says so in "driverUsed", "urlUsed" and "note".
 */
package standin.jw;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

public class ClusterDbServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("node", Lab.nodeName(req));
        out.put("wflowHome", Lab.wflowHome().toString());
        Lab.Step step = new Lab.Step();
        try (Connection c = Lab.connect(out, step)) {
            step.now = "listing tables";
            out.put("server", c.getMetaData().getDatabaseProductName() + " "
                    + c.getMetaData().getDatabaseProductVersion());
            List<Object> tables = new ArrayList<>();
            String schema;
            try (Statement st = c.createStatement()) {
                try (ResultSet rs = st.executeQuery("SELECT DATABASE()")) {
                    rs.next();
                    schema = rs.getString(1);
                }
                try (ResultSet rs = st.executeQuery("SELECT table_name FROM information_schema.tables"
                        + " WHERE table_schema = DATABASE() ORDER BY table_name")) {
                    while (rs.next()) {
                        tables.add(rs.getString(1));
                    }
                }
            }
            out.put("ok", true);
            out.put("schema", schema);
            out.put("tableCount", tables.size());
            out.put("tables", tables);
            Lab.sendJson(resp, 200, out);
        } catch (Exception | LinkageError e) {
            out.put("ok", false);
            out.put("step", step.now);
            out.put("error", e.toString());
            Lab.sendJson(resp, 500, out);
        }
    }
}
