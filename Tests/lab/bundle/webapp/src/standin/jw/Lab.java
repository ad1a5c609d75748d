/*
 * STAND-IN, NOT JOGET. Part of the joget-cluster rehearsal lab (Tests/lab): a tiny web app
 * packaged as jw.war so that a cluster installer has something with Joget's shape to deploy.
 * Helpers shared by the lab's servlets: node name, wflow.home, datasource files, system key,
 * and a very small JSON writer.
 */
package standin.jw;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

final class Lab {
    static final String VERSION = "8.1.6";
    static final String EDITION = "enterprise";

    private Lab() {
    }

    /** -Dwflow.name, else the Engine's jvmRoute, else the session id suffix, else the hostname. */
    static String nodeName(HttpServletRequest req) {
        String n = System.getProperty("wflow.name");
        if (n != null && !n.isBlank()) {
            return n.trim();
        }
        String route = jvmRoute();
        if (route != null && !route.isBlank()) {
            return route;
        }
        if (req != null && req.getSession(false) != null) {
            String id = req.getSession(false).getId();
            int dot = id.indexOf('.');
            if (dot > 0 && dot < id.length() - 1) {
                return id.substring(dot + 1);
            }
        }
        return hostname();
    }

    static String jvmRoute() {
        String r = System.getProperty("jvmRoute");
        if (r != null && !r.isBlank()) {
            return r.trim();
        }
        try {
            MBeanServer mbs = ManagementFactory.getPlatformMBeanServer();
            for (ObjectName on : mbs.queryNames(new ObjectName("*:type=Engine"), null)) {
                Object v = mbs.getAttribute(on, "jvmRoute");
                if (v != null && !v.toString().isBlank()) {
                    return v.toString();
                }
            }
        } catch (Exception | LinkageError e) {
            // not readable: fall through
        }
        return null;
    }

    static String hostname() {
        try {
            String h = Files.readString(Paths.get("/proc/sys/kernel/hostname")).trim();
            if (!h.isEmpty()) {
                return h;
            }
        } catch (IOException e) {
            // fall through
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }

    static Path wflowHome() {
        String h = System.getProperty("wflow.home");
        if (h == null || h.isBlank()) {
            h = System.getProperty("user.home") + "/wflow";
        }
        return Paths.get(h);
    }

    static Properties load(Path p) throws IOException {
        Properties props = new Properties();
        try (InputStream in = Files.newInputStream(p)) {
            props.load(in);
        }
        return props;
    }

    /** The datasource profile name in force (currentProfile of app_datasource.properties). */
    static String profile() {
        try {
            String p = load(wflowHome().resolve("app_datasource.properties")).getProperty("currentProfile");
            return p == null || p.isBlank() ? "default" : p.trim();
        } catch (IOException e) {
            return "default";
        }
    }

    /** Name of the interface of the default route (from /proc/net/route). */
    static String defaultRouteInterface() {
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/net/route"))) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 2 && "00000000".equals(f[1])) {
                    return f[0];
                }
            }
        } catch (IOException e) {
            // fall through
        }
        return null;
    }

    static String mac() {
        try {
            String ifName = defaultRouteInterface();
            NetworkInterface ni = ifName == null ? null : NetworkInterface.getByName(ifName);
            if (ni == null || ni.getHardwareAddress() == null) {
                ni = null;
                for (NetworkInterface cand : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                    if (!cand.isLoopback() && cand.getHardwareAddress() != null) {
                        ni = cand;
                        break;
                    }
                }
            }
            if (ni != null) {
                byte[] hw = ni.getHardwareAddress();
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < hw.length; i++) {
                    sb.append(i == 0 ? "" : ":").append(String.format("%02x", hw[i] & 0xff));
                }
                return sb.toString();
            }
        } catch (IOException e) {
            // fall through
        }
        return "00:00:00:00:00:00";
    }

    /**
     * Stand-in system key: md5 of the MAC of the default-route interface, the datasource
     * profile name, the major version and the edition. So two nodes differ, and a change of
     * MAC or profile changes the key, as the real DX 8 key does (the real algorithm is not this).
     */
    static String systemKey() {
        String seed = mac() + "|" + profile() + "|" + VERSION.substring(0, 1) + "|" + EDITION;
        try {
            MessageDigest md = MessageDigest.getInstance("MD5");
            StringBuilder sb = new StringBuilder();
            for (byte b : md.digest(seed.getBytes(StandardCharsets.UTF_8))) {
                sb.append(String.format("%02x", b & 0xff));
            }
            return sb.toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Activation stand-in: the file wflow.home/lab-license-NODE.txt, if present. */
    static Path licenseFile(String node) {
        return wflowHome().resolve("lab-license-" + node.replaceAll("[^A-Za-z0-9._-]", "_") + ".txt");
    }

    // ------------------------------------------------------------------ JSON
    static String json(Object v) {
        StringBuilder sb = new StringBuilder();
        write(sb, v);
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object v) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof Number || v instanceof Boolean) {
            sb.append(v);
        } else if (v instanceof Map<?, ?> m) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                sb.append(first ? "" : ",");
                first = false;
                write(sb, String.valueOf(e.getKey()));
                sb.append(':');
                write(sb, e.getValue());
            }
            sb.append('}');
        } else if (v instanceof List<?> l) {
            sb.append('[');
            for (int i = 0; i < l.size(); i++) {
                sb.append(i == 0 ? "" : ",");
                write(sb, l.get(i));
            }
            sb.append(']');
        } else {
            String s = v.toString();
            sb.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '"' -> sb.append("\\\"");
                    case '\\' -> sb.append("\\\\");
                    case '\n' -> sb.append("\\n");
                    case '\r' -> sb.append("\\r");
                    case '\t' -> sb.append("\\t");
                    default -> {
                        if (c < 0x20) {
                            sb.append(String.format("\\u%04x", (int) c));
                        } else {
                            sb.append(c);
                        }
                    }
                }
            }
            sb.append('"');
        }
    }

    static void sendJson(HttpServletResponse resp, int status, Map<String, Object> body) throws IOException {
        resp.setStatus(status);
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        resp.setHeader("Cache-Control", "no-store");
        resp.getWriter().println(json(body));
    }

    static String html(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
