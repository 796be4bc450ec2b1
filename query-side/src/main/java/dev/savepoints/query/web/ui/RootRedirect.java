package dev.savepoints.query.web.ui;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** The service's root is its overview page. */
@Controller
class RootRedirect {

    @GetMapping("/")
    String root() {
        return "redirect:/ui";
    }
}
