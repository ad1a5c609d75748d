/*
 * STAND-IN, NOT JOGET (joget-cluster rehearsal lab, Tests/lab).
 * GET /jw/web/login: a login page that starts a session, as Joget's does, so a balancer check
 * can read which node answered from the JSESSIONID cookie's jvmRoute suffix.
 */
package standin.jw;

import java.io.IOException;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

public class LoginServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        req.getSession(true);
        resp.setContentType("text/html;charset=UTF-8");
        resp.getWriter().write("<!DOCTYPE html><html><head><title>Login (stand-in)</title></head><body>"
            + "<p>Stand-in for the joget-cluster lab, not Joget. Node: " + Lab.nodeName(req) + "</p>"
            + "<form method=\"post\"><input name=\"j_username\"><input name=\"j_password\" type=\"password\"></form>"
            + "</body></html>");
    }
}
